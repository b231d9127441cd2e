import '../../local/polyfills.js';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { benchBundles } from './bundles.js';
import { benchDecisions } from './decisions.js';
import { machine } from './machine.js';
import { benchPayoff } from './payoff.js';
import { benchServicing } from './servicing.js';

/**
 * `npm run bench [-- --loans 100000] [--only decisions|servicing|payoff|bundles] [--concurrency N]`
 * - decisions: the decision pipeline in process, and apply-to-decision latency (decisions.ts);
 * - servicing: schedule and accrual throughput in process, and the nightly accrual over
 *   `--loans` open loans on DynamoDB Local (servicing.ts); `--concurrency N` also times the
 *   job with forEachOpenLoan at N loans per shard, on a second DynamoDB Local seeded the same way;
 * - payoff: one payoff quote today and at maturity + the horizon, against the day-by-day
 *   reference in the same run (payoff.ts);
 * - bundles: every deployed function's bundle size and cold module load, against a one-line
 *   module loaded the same way (bundles.ts).
 * Results go to test/bench/results.json with the machine they were measured on; a section not
 * run keeps its previous figures.
 */

const { values } = parseArgs({
  options: {
    loans: { type: 'string', default: '100000' },
    only: { type: 'string' },
    concurrency: { type: 'string' },
  },
});
const loans = Number(values.loans);
if (!Number.isSafeInteger(loans) || loans < 1)
  throw new Error(`--loans must be a whole number ≥ 1, got ${values.loans}`);
const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
if (concurrency !== undefined && (!Number.isSafeInteger(concurrency) || concurrency < 1))
  throw new Error(`--concurrency must be a whole number ≥ 1, got ${values.concurrency}`);
const SECTIONS = ['decisions', 'servicing', 'payoff', 'bundles'];
if (values.only !== undefined && !SECTIONS.includes(values.only))
  throw new Error(`--only must be one of ${SECTIONS.join(', ')}, got ${values.only}`);
const runs = (section: string) => values.only === undefined || values.only === section;

const resultsFile = new URL('./results.json', import.meta.url);
const previous = existsSync(resultsFile)
  ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as Record<string, unknown>)
  : {};
const log = (line: string) => console.error(`[bench] ${line}`);

// Servicing first, so the memory it reports is not inflated by the decision runtime's modules.
const servicing = runs('servicing')
  ? await benchServicing({ loans, alternativeConcurrency: concurrency, log })
  : undefined;
const payoff = runs('payoff') ? await benchPayoff() : undefined;
const bundles = runs('bundles') ? await benchBundles(log) : undefined;
const decisions = runs('decisions')
  ? { measuredAt: new Date().toISOString(), machine: machine(), ...(await benchDecisions()) }
  : undefined;

const results = {
  ...previous,
  ...decisions,
  ...(servicing ? { servicing } : {}),
  ...(payoff ? { payoff } : {}),
  ...(bundles ? { bundles } : {}),
};
writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify(results, null, 2));
