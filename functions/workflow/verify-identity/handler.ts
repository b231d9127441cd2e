import { applications, clock, wire } from '../../../shared/adapters/wiring.js';
import { ApplicationTaskInput, taskHandler } from '../../../shared/lambda/task-handler.js';
import { verifyIdentity } from '../../../shared/services/verify-identity.js';

const dependencies = wire({ applications, clock });

export const handler = taskHandler('VerifyIdentity', ApplicationTaskInput, ({ applicationId }) =>
  verifyIdentity(dependencies, applicationId),
);
