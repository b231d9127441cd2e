import { startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { runSeeds } from '../support/simulator/simulate.js';
const d = await startDynamoDbLocal({ port: 0, inMemory: true });
const msgs = new Map<string, number>();
await runSeeds(Array.from({ length: 2000 }, (_, i) => i + 1), { endpoint: d.endpoint, concurrency: 12, onResult: (r) => {
  if (r.outcomes['nightly 422']) console.log('nightly 422 in seed', r.seed);
  for (const line of r.trace) { const m = line.match(/→ (409|422) (\w+): (.{0,60})/); if (m) { const k = `${m[1]} ${m[2]}: ${m[3].replace(/LN-[\w-]+|CL-[\w-]+|RP-[\w-]+|\d[\d.]*/g, '#')}`; msgs.set(k, (msgs.get(k) ?? 0) + 1); } }
} });
console.log([...msgs].sort((a, b) => b[1] - a[1]).slice(0, 30));
await d.stop();
