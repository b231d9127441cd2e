import { dependencies } from '../../../shared/adapters/wiring.js';
import { CallbackTaskInput, taskHandler } from '../../../shared/lambda/task-handler.js';
import { requestReview } from '../../../shared/services/request-review.js';

export const handler = taskHandler('RequestReview', CallbackTaskInput, (input) =>
  requestReview(dependencies, input),
);
