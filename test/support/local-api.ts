import { inject } from 'vitest';
import enterprises from '../../local/fixtures/enterprises.json' with { type: 'json' };
import { type LocalRuntime, type LocalRuntimeOptions, startLocalRuntime } from '../../local/runtime.js';

export type Fixture = (typeof enterprises)[number];

export function fixture(scenario: string): Fixture {
  const found = enterprises.find((e) => e.scenario === scenario);
  if (!found) throw new Error(`no catalogue enterprise with scenario ${scenario}`);
  return found;
}

/** The body the mobile app would send for a catalogue enterprise. */
export function applicationBody(f: Fixture, overrides: Record<string, unknown> = {}) {
  return {
    enterprise: { uscc: f.uscc, name: f.name },
    legalRepresentative: f.legalRepresentative,
    product: f.suggestedApplication?.product ?? 'TERM_LOAN',
    requestedAmount: { amount: f.suggestedApplication?.requestedAmount ?? '500000.00', currency: 'CNY' },
    termMonths: f.suggestedApplication?.termMonths ?? 12,
    purpose: 'working capital',
    consent: { dataUse: true, version: 'data-use-2026.11' },
    ...overrides,
  };
}

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/** The local runtime on the test run's DynamoDB Local, with its own table, and an HTTP client for it. */
export async function startTestRuntime(options: Partial<LocalRuntimeOptions> = {}) {
  const runtime: LocalRuntime = await startLocalRuntime({
    port: 0,
    dynamodbEndpoint: inject('dynamodbEndpoint'),
    tableName: `e2e-${Math.random().toString(36).slice(2, 10)}`,
    ...options,
  });

  async function call<T = Record<string, unknown>>(
    method: string,
    path: string,
    init: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse<T>> {
    const response = await fetch(`${runtime.url}${path}`, {
      method,
      headers: {
        ...(init.body !== undefined || init.rawBody !== undefined
          ? { 'content-type': 'application/json' }
          : {}),
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...init.headers,
      },
      body: init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as T };
  }

  async function token(role: string, uscc?: string, subject?: string): Promise<string> {
    const { body } = await call<{ token: string }>('POST', '/local/tokens', {
      body: { role, uscc, subject },
    });
    return body.token;
  }

  /** Polls an application until `until` holds or the deadline passes (no sleeps in tests: a bounded poll). */
  async function waitFor(
    id: string,
    tokenValue: string,
    until: (app: Record<string, unknown>) => boolean,
    deadlineMs = 10_000,
  ) {
    const end = Date.now() + deadlineMs;
    let last: ApiResponse | undefined;
    while (Date.now() < end) {
      last = await call('GET', `/v1/applications/${id}`, { token: tokenValue });
      if (last.status === 200 && until(last.body)) return last.body;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(
      `application ${id} did not reach the expected state; last: ${JSON.stringify(last?.body)}`,
    );
  }

  const status = (s: string) => (app: Record<string, unknown>) => app.status === s;

  async function apply(
    f: Fixture,
    tokenValue: string,
    key = `key-${Math.random().toString(36).slice(2)}`,
    overrides = {},
  ) {
    return call<Record<string, unknown> & { applicationId: string; status: string }>(
      'POST',
      '/v1/applications',
      {
        token: tokenValue,
        body: applicationBody(f, overrides),
        headers: { 'idempotency-key': key },
      },
    );
  }

  return { runtime, call, token, waitFor, status, apply };
}
