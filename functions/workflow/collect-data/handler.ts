import {
  applications,
  blacklist,
  clock,
  enterpriseData,
  partnerData,
  wire,
} from '../../../shared/adapters/wiring.js';
import { ApplicationTaskInput, taskHandler } from '../../../shared/lambda/task-handler.js';
import { collectData } from '../../../shared/services/collect-data.js';

const dependencies = wire({ applications, blacklist, clock, enterpriseData, partnerData });

export const handler = taskHandler('CollectData', ApplicationTaskInput, ({ applicationId }) =>
  collectData(dependencies, applicationId),
);
