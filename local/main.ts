// First: the process defaults (the log level from LOG_LEVEL) must be set before any module builds its logger.
import './environment.js';
import { resolve } from 'node:path';
import { LOCAL_PARTNER_ID } from './partner-push.js';
import { startLocalRuntime } from './runtime.js';

/**
 * `npm start`: the whole system on this machine. Settings come from the environment:
 * PORT (3000), DYNAMODB_PORT (8000), DATA_DIR (.local/data; "memory" keeps nothing),
 * PARTNER_WEBHOOK_URL and PARTNER_WEBHOOK_SECRET, PARTNER_PUSH_SECRETS (JSON, by partner id),
 * SOURCE_DELAY_MS, LOG_LEVEL, CLOCK_START (YYYY-MM-DD: a fresh stack's business date).
 */
async function main(): Promise<void> {
  const dataDir =
    process.env.DATA_DIR === 'memory' ? undefined : resolve(process.env.DATA_DIR ?? '.local/data');
  const partnerUrl = process.env.PARTNER_WEBHOOK_URL;
  const partnerSecret = process.env.PARTNER_WEBHOOK_SECRET;
  if (partnerUrl && !partnerSecret)
    throw new Error('PARTNER_WEBHOOK_URL is set but PARTNER_WEBHOOK_SECRET is not: set both');
  const partnerPushSecrets = process.env.PARTNER_PUSH_SECRETS
    ? (JSON.parse(process.env.PARTNER_PUSH_SECRETS) as Record<string, string>)
    : undefined;
  const verbose = process.env.LOG_LEVEL === 'DEBUG' || process.env.LOG_LEVEL === 'INFO';
  const runtime = await startLocalRuntime({
    port: Number(process.env.PORT ?? 3000),
    dynamodbPort: Number(process.env.DYNAMODB_PORT ?? 8000),
    dataDir,
    partnerWebhook: partnerUrl && partnerSecret ? { url: partnerUrl, secret: partnerSecret } : undefined,
    partnerPushSecrets,
    sourceDelayMs: Number(process.env.SOURCE_DELAY_MS ?? 50),
    clockStart: process.env.CLOCK_START || undefined,
    log: verbose ? (line) => console.log(`[local] ${line}`) : undefined,
  });
  console.log(
    [
      `Fast-loan is running at ${runtime.url}`,
      `  API document:   ${runtime.url}/openapi.json`,
      `  get a token:    curl -s -X POST ${runtime.url}/local/tokens -H 'content-type: application/json' -d '{"role":"officer"}'`,
      `  advance clock:  curl -s -X POST ${runtime.url}/local/clock -H 'content-type: application/json' -d '{"advance":"P1D"}'`,
      `  data kept in:   ${dataDir ?? 'memory (nothing is kept)'}${dataDir ? ' (remove it to start over)' : ''}`,
      `  clock:          ${runtime.clock.now().toISOString()} (kept with the data; CLOCK_START=YYYY-MM-DD starts a fresh stack on that date)`,
      `  partner hooks:  ${partnerUrl ?? 'none (set PARTNER_WEBHOOK_URL and PARTNER_WEBHOOK_SECRET)'}`,
      `  partner push:   npm run push-partner-data -- --uscc <uscc>   (partners: ${Object.keys(partnerPushSecrets ?? { [LOCAL_PARTNER_ID]: '' }).join(', ')})`,
      'Press Ctrl-C to stop.',
    ].join('\n'),
  );
  if (!verbose) console.log("(LOG_LEVEL=INFO shows each request and the handlers' logs)");
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping…');
    await runtime.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`fast-loan: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
