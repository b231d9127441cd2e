import { applications, clock, wire } from '../../../shared/adapters/wiring.js';
import { ApplicationTaskInput, taskHandler } from '../../../shared/lambda/task-handler.js';
import { decideApplication } from '../../../shared/services/decide-application.js';

const dependencies = wire({ applications, clock });

export const handler = taskHandler('Decide', ApplicationTaskInput, ({ applicationId }) =>
  decideApplication(dependencies, applicationId),
);
