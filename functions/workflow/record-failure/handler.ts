import { z } from 'zod';
import { dependencies } from '../../../shared/adapters/wiring.js';
import { ApplicationTaskInput, taskHandler } from '../../../shared/lambda/task-handler.js';
import { recordFailure } from '../../../shared/services/record-failure.js';

const Input = ApplicationTaskInput.extend({
  error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
});

export const handler = taskHandler('RecordFailure', Input, (input) => recordFailure(dependencies, input));
