import { applications, clock, wire } from '../../../shared/adapters/wiring.js';
import { CallbackTaskInput, taskHandler } from '../../../shared/lambda/task-handler.js';
import { makeOffer } from '../../../shared/services/make-offer.js';

const dependencies = wire({ applications, clock });

export const handler = taskHandler('MakeOffer', CallbackTaskInput, (input) => makeOffer(dependencies, input));
