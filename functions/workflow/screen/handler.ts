import { applications, clock, wire } from '../../../shared/adapters/wiring.js';
import { ApplicationTaskInput, taskHandler } from '../../../shared/lambda/task-handler.js';
import { screenApplication } from '../../../shared/services/screen-application.js';

const dependencies = wire({ applications, clock });

export const handler = taskHandler('Screen', ApplicationTaskInput, ({ applicationId }) =>
  screenApplication(dependencies, applicationId),
);
