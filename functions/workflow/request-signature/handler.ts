import { dependencies } from '../../../shared/adapters/wiring.js';
import { CallbackTaskInput, taskHandler } from '../../../shared/lambda/task-handler.js';
import { requestSignature } from '../../../shared/services/request-signature.js';

export const handler = taskHandler('RequestSignature', CallbackTaskInput, (input) =>
  requestSignature(dependencies, input),
);
