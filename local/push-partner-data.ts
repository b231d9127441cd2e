import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { LOCAL_PARTNER_ID, LOCAL_PARTNER_PUSH_SECRET, samplePush, signPush } from './partner-push.js';

/**
 * `npm run push-partner-data -- --uscc <uscc> [--platform TMALL] [--kind ECOMMERCE_SALES]
 *   [--file body.json] [--partner demo-marketplace] [--secret whsec_...] [--id msg_...]
 *   [--url http://127.0.0.1:$PORT]`
 *
 * Plays a partner platform against the local runtime: signs a push per Standard Webhooks with
 * the partner's secret (the local demo partner's by default) and sends it to
 * POST /v1/partner-data/{partner}. Without --file it sends 24 months of sample sales. Sending
 * the same --id twice shows the redelivery answer. The URL follows `npm start`'s settings: the
 * API environment variable, else http://127.0.0.1 on PORT (3000). See docs/webhooks.md.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      uscc: { type: 'string' },
      platform: { type: 'string', default: 'TMALL' },
      kind: { type: 'string', default: 'ECOMMERCE_SALES' },
      file: { type: 'string' },
      partner: { type: 'string', default: LOCAL_PARTNER_ID },
      secret: { type: 'string', default: process.env.PARTNER_PUSH_SECRET ?? LOCAL_PARTNER_PUSH_SECRET },
      id: { type: 'string' },
      url: { type: 'string', default: process.env.API ?? `http://127.0.0.1:${process.env.PORT ?? 3000}` },
    },
  });
  let body: string;
  if (values.file) body = readFileSync(values.file, 'utf8');
  else if (values.uscc) {
    const kind = values.kind === 'SUPPLY_CHAIN_ORDERS' ? 'SUPPLY_CHAIN_ORDERS' : 'ECOMMERCE_SALES';
    body = JSON.stringify(samplePush(values.uscc, { platform: values.platform, kind }));
  } else throw new Error('give --uscc <uscc> (sample data) or --file <body.json>');
  const headers = signPush(body, { secret: values.secret, ...(values.id ? { id: values.id } : {}) });
  const url = `${values.url}/v1/partner-data/${values.partner}`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  }).catch((error: unknown) => {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    throw new Error(`could not reach ${url}${cause} (is npm start running? set PORT or --url)`);
  });
  console.log(`${response.status} ${headers['webhook-id']}`);
  console.log(await response.text());
  if (!response.ok) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
