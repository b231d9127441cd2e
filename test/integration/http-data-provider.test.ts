import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  HttpEnterpriseDataProvider,
  type HttpSourceConfig,
} from '../../shared/adapters/http/enterprise-data-provider.js';
import { SOURCE_NAMES, type SourceName } from '../../shared/domain/decisioning/types.js';
import type { EnterpriseDataProvider } from '../../shared/ports/enterprise-data.js';
import { collectSources, type SourceFailure } from '../../shared/services/collect-data.js';

const USCC = '91350102MA31K7Q230';
const LITIGATION = { casesAsDefendant: 0, amountAsDefendant: '0.00', dishonestJudgmentDebtor: false };

/** A data vendor on loopback whose behaviour each test scripts, counting the requests it gets. */
type Behaviour = { status: number; body?: unknown; delayMs?: number };
let script: Behaviour[] = [];
let requests: { url: string; authorization?: string }[] = [];
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push({ url: request.url ?? '', authorization: request.headers.authorization });
    const next = script.length > 1 ? (script.shift() as Behaviour) : (script[0] ?? { status: 500 });
    setTimeout(() => {
      response.writeHead(next.status, { 'content-type': 'application/json' });
      response.end(next.body === undefined ? '' : JSON.stringify(next.body));
    }, next.delayMs ?? 0).unref();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => server.close());

beforeEach(() => {
  script = [];
  requests = [];
});

function provider(overrides: Partial<HttpSourceConfig> = {}) {
  const config = Object.fromEntries(
    SOURCE_NAMES.map((source) => [
      source,
      {
        urlTemplate: `${base}/${source}/{uscc}`,
        apiKey: 'k-123',
        attemptTimeoutMs: 200,
        retries: 2,
        ...overrides,
      },
    ]),
  ) as Record<SourceName, HttpSourceConfig>;
  return new HttpEnterpriseDataProvider(config);
}

const never = () => new AbortController().signal;

describe('HTTP data provider', () => {
  it('gets and validates a record, with the API key', async () => {
    script = [{ status: 200, body: LITIGATION }];
    await expect(provider().fetch('litigation', USCC, never())).resolves.toEqual(LITIGATION);
    expect(requests).toEqual([{ url: `/litigation/${USCC}`, authorization: 'Bearer k-123' }]);
  });

  it('answers null when the vendor has no record (404)', async () => {
    script = [{ status: 404 }];
    await expect(provider().fetch('bureau', USCC, never())).resolves.toBeNull();
  });

  it('retries transient failures with backoff, then succeeds', async () => {
    script = [{ status: 503 }, { status: 429 }, { status: 200, body: LITIGATION }];
    await expect(provider().fetch('litigation', USCC, never())).resolves.toEqual(LITIGATION);
    expect(requests).toHaveLength(3);
  });

  it('does not retry a refusal or a malformed answer, and names the bad field', async () => {
    script = [{ status: 200, body: { ...LITIGATION, amountAsDefendant: '12.345' } }];
    await expect(provider().fetch('litigation', USCC, never())).rejects.toThrow(
      /malformed answer at amountAsDefendant/,
    );
    script = [{ status: 403 }];
    await expect(provider().fetch('litigation', USCC, never())).rejects.toThrow(/403/);
    expect(requests).toHaveLength(2);
  });

  it('gives up on a slow vendor after its attempts time out', async () => {
    script = [{ status: 200, body: LITIGATION, delayMs: 1_000 }];
    await expect(provider({ retries: 1 }).fetch('litigation', USCC, never())).rejects.toThrow();
    expect(requests).toHaveLength(2);
  });

  it('opens the circuit after consecutive failures and then fails fast without calling the vendor', async () => {
    script = [{ status: 500 }];
    const vendor = provider({ retries: 0, breakAfter: 3, halfOpenAfterMs: 60_000 });
    for (let i = 0; i < 3; i++) await expect(vendor.fetch('tax', USCC, never())).rejects.toThrow();
    const before = requests.length;
    await expect(vendor.fetch('tax', USCC, never())).rejects.toThrow(/open|broken/i);
    expect(requests.length).toBe(before);
  });

  it('records each source as answered, missing or failed in the collect stage, bounded by its timeout', async () => {
    script = [{ status: 404 }];
    const data = await collectSources(provider({ retries: 0 }), USCC, '2026-11-15', 1_000);
    expect(SOURCE_NAMES.map((s) => data[s].status)).toEqual(SOURCE_NAMES.map(() => 'MISSING'));

    script = [{ status: 200, body: LITIGATION, delayMs: 2_000 }];
    const late = await collectSources(
      provider({ retries: 0, attemptTimeoutMs: 5_000 }),
      USCC,
      '2026-11-15',
      300,
    );
    expect(late.litigation).toEqual({ status: 'FAILED', error: 'no answer within 300 ms' });
  });

  it('reports every failed source with the class of its error, so a bug is told from a vendor', async () => {
    script = [{ status: 503 }];
    const vendor = provider({ retries: 0 });
    const buggy: EnterpriseDataProvider = {
      fetch: (source, uscc, signal) =>
        source === 'tax'
          ? Promise.reject(new TypeError("Cannot read properties of undefined (reading 'months')"))
          : vendor.fetch(source, uscc, signal),
    };
    const failures: SourceFailure[] = [];
    const data = await collectSources(buggy, USCC, '2026-11-15', 1_000, (f) => failures.push(f));
    expect(SOURCE_NAMES.map((s) => data[s].status)).toEqual(SOURCE_NAMES.map(() => 'FAILED'));
    const tax = failures.find((f) => f.source === 'tax');
    expect(tax).toEqual({
      source: 'tax',
      errorType: 'TypeError',
      reason: "Cannot read properties of undefined (reading 'months')",
    });
    expect(failures).toHaveLength(SOURCE_NAMES.length);
    expect(failures.filter((f) => f.source !== 'tax').map((f) => f.errorType)).not.toContain('TypeError');
  });
});
