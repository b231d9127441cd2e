import * as z from 'zod';
import { applications, clock, wire } from '../../../shared/adapters/wiring.js';
import { ApplicationTaskInput, taskHandler } from '../../../shared/lambda/task-handler.js';
import { recordFailure } from '../../../shared/services/record-failure.js';

const dependencies = wire({ applications, clock });

const Input = ApplicationTaskInput.extend({
  error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
});

export const handler = taskHandler('RecordFailure', Input, (input) => recordFailure(dependencies, input));
