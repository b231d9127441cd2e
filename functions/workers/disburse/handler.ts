import { dependencies } from '../../../shared/adapters/wiring.js';
import { sqsHandler } from '../../../shared/lambda/sqs-handler.js';
import { CallbackTaskInput } from '../../../shared/lambda/task-handler.js';
import { disburse } from '../../../shared/services/disburse.js';

/** Consumes the disbursement queue the workflow's Disburse state sends to (with its task token). */
export const handler = sqsHandler('disburse', CallbackTaskInput, async (message) => {
  await disburse(dependencies, message);
});
