import { applications, clock, wire } from '../../../shared/adapters/wiring.js';
import { CallbackTaskInput, taskHandler } from '../../../shared/lambda/task-handler.js';
import { requestReview } from '../../../shared/services/request-review.js';

const dependencies = wire({ applications, clock });

export const handler = taskHandler('RequestReview', CallbackTaskInput, (input) =>
  requestReview(dependencies, input),
);
