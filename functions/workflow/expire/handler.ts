import { z } from 'zod';
import { dependencies } from '../../../shared/adapters/wiring.js';
import { ApplicationTaskInput, taskHandler } from '../../../shared/lambda/task-handler.js';
import { expireApplication } from '../../../shared/services/expire-application.js';

const Input = ApplicationTaskInput.extend({ stage: z.enum(['REVIEW', 'OFFER', 'SIGNATURE']) });

export const handler = taskHandler('ExpireApplication', Input, (input) =>
  expireApplication(dependencies, input),
);
