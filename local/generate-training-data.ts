import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { formatCsv } from '../shared/domain/scorecard/csv.js';
import {
  GROUND_TRUTH_FEATURES,
  generateTrainingData,
  TARGET,
} from '../shared/domain/scorecard/ground-truth.js';

/**
 * `npm run generate-training-data -- [--rows 20000] [--seed 2025] [--out models/training-data.csv]`:
 * writes a simulated loan book drawn from the ground-truth default model (ground-truth.ts),
 * one row per loan: the features and the `default` outcome. The true PD is left out on
 * purpose: a column that is the answer would be picked up as a feature by `npm run train`.
 * The defaults reproduce the committed file byte for byte.
 */
const DEFAULTS = { rows: 20_000, seed: 2025, out: 'models/training-data.csv' };

function main(): void {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: String(DEFAULTS.rows) },
      seed: { type: 'string', default: String(DEFAULTS.seed) },
      out: { type: 'string', default: DEFAULTS.out },
    },
  });
  const rows = wholeNumber(values.rows, '--rows');
  const seed = wholeNumber(values.seed, '--seed');
  const data = generateTrainingData(rows, seed);
  const header = [...GROUND_TRUTH_FEATURES, TARGET];
  const csv = formatCsv(
    header,
    data.rows.map((row) => header.map((column) => row[column] ?? null)),
  );
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, csv);
  const defaults = data.rows.filter((row) => row[TARGET] === 1).length;
  const meanPd = data.probabilityOfDefault.reduce((sum, pd) => sum + pd, 0) / rows;
  console.log(
    `wrote ${values.out}: ${rows} loans, ${defaults} defaults (${((100 * defaults) / rows).toFixed(2)}%), ` +
      `mean true PD ${(100 * meanPd).toFixed(2)}%, ${(csv.length / 1024).toFixed(0)} KiB`,
  );
}

function wholeNumber(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${flag} must be a whole number, got ${text}`);
  return value;
}

try {
  main();
} catch (error) {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
