import { writeFileSync } from 'node:fs';
import { openApiDocument } from '../shared/http/openapi.js';

/** `npm run openapi`: writes docs/openapi.json, which a test keeps equal to what the API serves. */
writeFileSync(
  new URL('../docs/openapi.json', import.meta.url),
  `${JSON.stringify(openApiDocument(), null, 2)}\n`,
);
console.log('wrote docs/openapi.json');
