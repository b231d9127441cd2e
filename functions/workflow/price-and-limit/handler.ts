import { applications, clock, wire } from '../../../shared/adapters/wiring.js';
import { ApplicationTaskInput, taskHandler } from '../../../shared/lambda/task-handler.js';
import { priceApplication } from '../../../shared/services/price-application.js';

const dependencies = wire({ applications, clock });

export const handler = taskHandler('PriceAndLimit', ApplicationTaskInput, ({ applicationId }) =>
  priceApplication(dependencies, applicationId),
);
