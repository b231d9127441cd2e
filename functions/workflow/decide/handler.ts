import { dependencies } from '../../../shared/adapters/wiring.js';
import { ApplicationTaskInput, taskHandler } from '../../../shared/lambda/task-handler.js';
import { decideApplication } from '../../../shared/services/decide-application.js';

export const handler = taskHandler('Decide', ApplicationTaskInput, ({ applicationId }) =>
  decideApplication(dependencies, applicationId),
);
