import { dependencies } from '../../../shared/adapters/wiring.js';
import { ApplicationTaskInput, taskHandler } from '../../../shared/lambda/task-handler.js';
import { screenApplication } from '../../../shared/services/screen-application.js';

export const handler = taskHandler('Screen', ApplicationTaskInput, ({ applicationId }) =>
  screenApplication(dependencies, applicationId),
);
