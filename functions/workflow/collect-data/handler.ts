import { dependencies } from '../../../shared/adapters/wiring.js';
import { ApplicationTaskInput, taskHandler } from '../../../shared/lambda/task-handler.js';
import { collectData } from '../../../shared/services/collect-data.js';

export const handler = taskHandler('CollectData', ApplicationTaskInput, ({ applicationId }) =>
  collectData(dependencies, applicationId),
);
