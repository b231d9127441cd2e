import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { parseCsv, typeColumns } from '../shared/domain/scorecard/csv.js';
import { type TrainingProgress, trainScorecard } from '../shared/domain/scorecard/train.js';

/**
 * `npm run train -- <csv> [--target default] [--out models/<version>.json] [--seed 42]
 *   [--version scorecard-x] [--trained-at 2026-01-01T00:00:00Z] [--holdout 0.3] [--l2 1]
 *   [--features a,b,c] [--categorical a,b]`
 *
 * Fits a WoE logistic-regression scorecard to a CSV of historical outcomes (a 0/1 target
 * column, numeric and categorical features, empty cells for unknown values), prints the
 * holdout AUC, KS and Gini and the information value of each feature, and writes the model
 * file. Progress goes to stderr, the report to stdout. See docs/scorecard.md.
 */
function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      target: { type: 'string', default: 'default' },
      out: { type: 'string' },
      seed: { type: 'string', default: '42' },
      version: { type: 'string' },
      'trained-at': { type: 'string' },
      holdout: { type: 'string', default: '0.3' },
      l2: { type: 'string', default: '1' },
      features: { type: 'string' },
      categorical: { type: 'string' },
    },
  });
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0) {
    throw new UsageError('usage: npm run train -- <csv> [--target default] [--out file.json] [--seed 42]');
  }
  if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`no such file: ${file}`);
  const trainedAt = values['trained-at'] ?? new Date().toISOString();
  if (Number.isNaN(Date.parse(trainedAt))) throw new UsageError(`--trained-at is not a date: ${trainedAt}`);
  const version =
    values.version ?? `scorecard-${trainedAt.slice(0, 19).replace(/[-:]/g, '').replace('T', '-')}`;
  const out = values.out ?? `models/${version}.json`;
  const categorical = list(values.categorical);

  bar.update({ stage: 'reading', done: 0, total: 1, detail: file });
  const typed = typeColumns(parseCsv(readFileSync(file, 'utf8')), categorical);
  if (!(values.target in typed.kinds)) throw new UsageError(`no target column "${values.target}" in ${file}`);
  bar.update({ stage: 'reading', done: 1, total: 1, detail: `${typed.rows.length} rows` });

  const result = trainScorecard(typed.rows, {
    target: values.target,
    features: list(values.features),
    categorical,
    version,
    trainedAt: new Date(trainedAt).toISOString(),
    seed: integer(values.seed, '--seed'),
    holdoutShare: decimal(values.holdout, '--holdout'),
    l2: decimal(values.l2, '--l2'),
    onProgress: (progress) => bar.update(progress),
  });
  bar.finish();

  const { model } = result;
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, toJson(model));

  const { metrics } = model;
  console.log(`${model.version}: ${metrics.trainSize} training rows, ${metrics.holdoutSize} holdout rows`);
  console.log(`training default rate ${(100 * metrics.badRate).toFixed(2)}%`);
  console.log(
    `holdout AUC ${metrics.auc.toFixed(4)}   KS ${metrics.ks.toFixed(4)}   Gini ${metrics.gini.toFixed(4)}`,
  );
  console.log(
    `logistic regression: ${result.fit.converged ? 'converged' : 'did NOT converge'} in ${result.fit.iterations} iterations`,
  );
  console.log('\ninformation value (training split)');
  const width = Math.max(...result.informationValues.map(({ feature }) => feature.length));
  for (const { feature, informationValue, kept } of result.informationValues) {
    const characteristic = model.characteristics.find((candidate) => candidate.feature === feature);
    const note = characteristic
      ? `${characteristic.bins.length} bins, β ${characteristic.coefficient.toFixed(3)}`
      : `left out: ${model.training.excluded.find((entry) => entry.feature === feature)?.reason ?? ''}`;
    console.log(
      `  ${feature.padEnd(width)}  ${informationValue.toFixed(4)}  ${strength(informationValue)}  ${kept ? '' : '✗ '}${note}`,
    );
  }
  console.log(`\nwrote ${out}`);
}

/**
 * JSON.stringify with two-space indent, except that an array of numbers or strings stays on
 * one line when it fits: the layout Biome gives the file, so `npm run lint` passes on a model
 * straight from training.
 */
function toJson(value: unknown): string {
  const LINE_WIDTH = 110;
  const write = (item: unknown, indent: string, prefixLength: number): string => {
    if (Array.isArray(item)) {
      if (item.length === 0) return '[]';
      if (item.every((element) => element === null || typeof element !== 'object')) {
        const inline = `[${item.map((element) => JSON.stringify(element)).join(', ')}]`;
        if (prefixLength + inline.length + 1 <= LINE_WIDTH) return inline;
      }
      const inner = `${indent}  `;
      return `[\n${item.map((element) => `${inner}${write(element, inner, inner.length)}`).join(',\n')}\n${indent}]`;
    }
    if (item !== null && typeof item === 'object') {
      const entries = Object.entries(item).filter(([, entry]) => entry !== undefined);
      if (entries.length === 0) return '{}';
      const inner = `${indent}  `;
      const lines = entries.map(([key, entry]) => {
        const prefix = `${inner}${JSON.stringify(key)}: `;
        return `${prefix}${write(entry, inner, prefix.length)}`;
      });
      return `{\n${lines.join(',\n')}\n${indent}}`;
    }
    return JSON.stringify(item);
  };
  return `${write(value, '', 0)}\n`;
}

/** Siddiqi's reading of information value. */
function strength(iv: number): string {
  if (iv < 0.02) return 'unpredictive';
  if (iv < 0.1) return 'weak        ';
  if (iv < 0.3) return 'medium      ';
  return 'strong      ';
}

/**
 * A one-line progress bar on stderr, redrawn with a carriage return, one line per stage.
 * Written here rather than taken from a package: it is twenty lines. When stderr is not a
 * terminal (CI, a pipe) it prints only the end of each stage.
 */
/** A training stage, or the reading of the file before it. */
type Progress = Omit<TrainingProgress, 'stage'> & { stage: TrainingProgress['stage'] | 'reading' };

class ProgressBar {
  private stage: string | null = null;
  private last: Progress | null = null;
  private readonly live = process.stderr.isTTY === true;

  update(progress: Progress): void {
    if (this.stage !== null && progress.stage !== this.stage) this.endStage();
    this.stage = progress.stage;
    this.last = progress;
    if (this.live) process.stderr.write(`\r${this.render(progress)}\u001b[K`);
  }

  finish(): void {
    if (this.stage !== null) this.endStage();
    this.stage = null;
  }

  /** Ends a half-drawn line so that an error message starts on a line of its own. */
  abort(): void {
    if (this.live && this.stage !== null) process.stderr.write('\n');
    this.stage = null;
  }

  private endStage(): void {
    if (this.last === null) return;
    const done = { ...this.last, done: this.last.total };
    process.stderr.write(this.live ? `\r${this.render(done)}\u001b[K\n` : `${this.render(done)}\n`);
  }

  private render({ stage, done, total, detail }: Progress): string {
    const width = 24;
    const share = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(share * width);
    return `${stage.padEnd(10)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(share * 100)).padStart(3)}%  ${detail}`;
  }
}

class UsageError extends Error {
  override name = 'UsageError';
}

function list(text: string | undefined): string[] | undefined {
  return text === undefined
    ? undefined
    : text
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);
}

function integer(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new UsageError(`${flag} must be a whole number, got ${text}`);
  return value;
}

function decimal(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isFinite(value)) throw new UsageError(`${flag} must be a number, got ${text}`);
  return value;
}

const bar = new ProgressBar();

try {
  main();
} catch (error) {
  bar.abort();
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
