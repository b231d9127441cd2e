import * as z from 'zod';
import { applications, audit, clock, loans, wire } from '../../../shared/adapters/wiring.js';
import { ApplicationTaskInput, taskHandler } from '../../../shared/lambda/task-handler.js';
import { activate } from '../../../shared/services/activate.js';

const dependencies = wire({ applications, audit, clock, loans });

const Input = ApplicationTaskInput.extend({
  disbursement: z.object({
    transferId: z.string().min(1),
    amount: z.object({ amount: z.string(), currency: z.literal('CNY') }),
    disbursedAt: z.iso.datetime(),
  }),
});

export const handler = taskHandler('Activate', Input, (input, context) =>
  activate(dependencies, { ...input, invocationId: context.awsRequestId }),
);
