import * as z from 'zod';
import { applications, clock, wire } from '../../../shared/adapters/wiring.js';
import { ApplicationTaskInput, taskHandler } from '../../../shared/lambda/task-handler.js';
import { expireApplication } from '../../../shared/services/expire-application.js';

const dependencies = wire({ applications, clock });

const Input = ApplicationTaskInput.extend({ stage: z.enum(['REVIEW', 'OFFER', 'SIGNATURE']) });

export const handler = taskHandler('ExpireApplication', Input, (input) =>
  expireApplication(dependencies, input),
);
