import { dependencies } from '../../../shared/adapters/wiring.js';
import { ApplicationTaskInput, taskHandler } from '../../../shared/lambda/task-handler.js';
import { priceApplication } from '../../../shared/services/price-application.js';

export const handler = taskHandler('PriceAndLimit', ApplicationTaskInput, ({ applicationId }) =>
  priceApplication(dependencies, applicationId),
);
