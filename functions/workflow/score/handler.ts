import { applications, clock, wire } from '../../../shared/adapters/wiring.js';
import { ApplicationTaskInput, taskHandler } from '../../../shared/lambda/task-handler.js';
import { scoreApplication } from '../../../shared/services/score-application.js';

const dependencies = wire({ applications, clock });

export const handler = taskHandler('Score', ApplicationTaskInput, ({ applicationId }) =>
  scoreApplication(dependencies, applicationId),
);
