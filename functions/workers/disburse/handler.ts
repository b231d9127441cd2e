import * as z from 'zod';
import {
  applications,
  clock,
  coreBanking,
  disbursements,
  loans,
  wire,
  workflow,
} from '../../../shared/adapters/wiring.js';
import { sqsHandler } from '../../../shared/lambda/sqs-handler.js';
import { CallbackTaskInput } from '../../../shared/lambda/task-handler.js';
import { disburse } from '../../../shared/services/disburse.js';
import { DrawdownMessage, disburseDrawdown } from '../../../shared/services/draw-down.js';

const dependencies = wire({ applications, clock, coreBanking, disbursements, loans, workflow });

/**
 * Consumes the disbursement queue: the workflow's Disburse state sends an application's first
 * disbursement (with its task token), the event relay sends each later draw-down on a line.
 */
export const handler = sqsHandler(
  'disburse',
  z.union([DrawdownMessage, CallbackTaskInput]),
  async (message) => {
    if ('drawdownId' in message) await disburseDrawdown(dependencies, message);
    else await disburse(dependencies, message);
  },
);
