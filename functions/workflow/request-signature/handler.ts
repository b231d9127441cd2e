import { applications, clock, wire } from '../../../shared/adapters/wiring.js';
import { CallbackTaskInput, taskHandler } from '../../../shared/lambda/task-handler.js';
import { requestSignature } from '../../../shared/services/request-signature.js';

const dependencies = wire({ applications, clock });

export const handler = taskHandler('RequestSignature', CallbackTaskInput, (input) =>
  requestSignature(dependencies, input),
);
