import { readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../shared/adapters/dynamodb/table.js';
import { usccCheckCharacter } from '../../shared/domain/identifiers.js';
import { applicationBody, fixture, startTestRuntime } from '../support/local-api.js';

let api: Awaited<ReturnType<typeof startTestRuntime>>;

beforeAll(async () => {
  api = await startTestRuntime();
});

afterAll(async () => {
  await api?.runtime.stop();
});

/** Everything the table holds for an enterprise (applications, loans, lines) via its index. */
async function itemsOf(uscc: string) {
  const { Items = [] } = await api.runtime.table.client.send(
    new QueryCommand({
      TableName: api.runtime.table.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.enterprise(uscc) },
    }),
  );
  return Items;
}

describe('Idempotency-Key on POST /v1/applications', () => {
  it('answers a retry with the first answer and never creates a second application', async () => {
    const f = fixture('thin-data');
    const token = await api.token('enterprise', f.uscc);
    const first = await api.apply(f, token, 'retry-key-0001');
    const retry = await api.apply(f, token, 'retry-key-0001');

    expect(first.status).toBe(202);
    expect(retry.status).toBe(202);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await itemsOf(f.uscc)).toHaveLength(1);
  });

  it('answers concurrent duplicates with one application', async () => {
    const f = fixture('tax-grade-d');
    const token = await api.token('enterprise', f.uscc);
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => api.apply(f, token, 'concurrent-key-01')),
    );

    expect(new Set(answers.map((a) => a.body.applicationId)).size).toBe(1);
    expect(answers.every((a) => a.status === 202)).toBe(true);
    expect(await itemsOf(f.uscc)).toHaveLength(1);
  });

  it('refuses the same key with a different body (422) and writes nothing', async () => {
    const f = fixture('overdue-elsewhere');
    const token = await api.token('enterprise', f.uscc);
    await api.apply(f, token, 'reused-key-0001');
    const reused = await api.apply(f, token, 'reused-key-0001', { termMonths: 24 });

    expect(reused.status).toBe(422);
    expect(reused.headers.get('content-type')).toBe('application/problem+json');
    expect(reused.body.title).toBe('Idempotency key reused');
    expect(await itemsOf(f.uscc)).toHaveLength(1);
  });

  it('requires the header', async () => {
    const f = fixture('weak-score');
    const token = await api.token('enterprise', f.uscc);
    const missing = await api.call('POST', '/v1/applications', { token, body: applicationBody(f) });

    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);
  });
});

describe('authentication and authorisation', () => {
  it('answers 401 without a token or with a forged one', async () => {
    const none = await api.call('GET', '/v1/reviews');
    const forged = await api.call('GET', '/v1/reviews', {
      token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl',
    });

    for (const response of [none, forged]) {
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
    }
  });

  it('answers 403 to a role the route does not allow', async () => {
    const f = fixture('healthy');
    const enterprise = await api.token('enterprise', f.uscc);
    const officer = await api.token('officer');

    expect((await api.call('GET', '/v1/reviews', { token: enterprise })).status).toBe(403);
    expect((await api.apply(f, officer)).status).toBe(403);
    expect((await api.call('GET', '/v1/reviews', { token: await api.token('partner') })).status).toBe(403);
  });

  it('forbids applying for another enterprise', async () => {
    const own = fixture('healthy');
    const other = fixture('borderline');
    const response = await api.apply(other, await api.token('enterprise', own.uscc));

    expect(response.status).toBe(403);
    expect(await itemsOf(other.uscc)).toHaveLength(0);
  });

  it("answers 404 when enterprise B reads enterprise A's application, and staff can read it", async () => {
    const a = fixture('litigation');
    const b = fixture('blacklisted');
    const tokenA = await api.token('enterprise', a.uscc);
    const { body } = await api.apply(a, tokenA);

    const asB = await api.call('GET', `/v1/applications/${body.applicationId}`, {
      token: await api.token('enterprise', b.uscc),
    });
    const missing = await api.call('GET', '/v1/applications/00000000-0000-4000-8000-000000000000', {
      token: tokenA,
    });
    const asStaff = await api.call('GET', `/v1/applications/${body.applicationId}`, {
      token: await api.token('approver'),
    });

    expect(asB.status).toBe(404);
    expect(asB.body.detail).toBe(
      String(missing.body.detail).replace('00000000-0000-4000-8000-000000000000', body.applicationId),
    );
    expect(asStaff.status).toBe(200);
    const acceptAsB = await api.call('POST', `/v1/applications/${body.applicationId}/offer/accept`, {
      token: await api.token('enterprise', b.uscc),
    });
    expect(acceptAsB.status).toBe(404);
  });
});

describe('malformed requests get problem+json naming the field, and change nothing', () => {
  const f = fixture('bureau-down');
  const idNumber = f.legalRepresentative.idNumber;
  const badIdNumber = `${idNumber.slice(0, 17)}${idNumber.endsWith('0') ? '1' : '0'}`;
  const badUscc = `${f.uscc.slice(0, 17)}${f.uscc.endsWith('0') ? '1' : '0'}`;

  it.each([
    ['a missing field', { purpose: undefined }, 'purpose'],
    ['a wrong type', { termMonths: '12' }, 'termMonths'],
    ['a uscc with a wrong check digit', { enterprise: { uscc: badUscc, name: f.name } }, 'enterprise.uscc'],
    [
      'a resident ID with a wrong check digit',
      { legalRepresentative: { ...f.legalRepresentative, idNumber: badIdNumber } },
      'legalRepresentative.idNumber',
    ],
    [
      'a negative amount',
      { requestedAmount: { amount: '-5000.00', currency: 'CNY' } },
      'requestedAmount.amount',
    ],
    [
      'an absurd amount',
      { requestedAmount: { amount: '99999999999.00', currency: 'CNY' } },
      'requestedAmount.amount',
    ],
    [
      'three decimals',
      { requestedAmount: { amount: '100000.005', currency: 'CNY' } },
      'requestedAmount.amount',
    ],
    [
      'another currency',
      { requestedAmount: { amount: '100000.00', currency: 'USD' } },
      'requestedAmount.currency',
    ],
    [
      'a first draw above the limit asked for',
      { product: 'REVOLVING_LINE', initialDrawdown: { amount: '99999999.00', currency: 'CNY' } },
      'initialDrawdown.amount',
    ],
    [
      'a first draw on a term loan',
      { product: 'TERM_LOAN', initialDrawdown: { amount: '1000.00', currency: 'CNY' } },
      'initialDrawdown.amount',
    ],
    ['no consent', { consent: { dataUse: false, version: 'x' } }, 'consent.dataUse'],
    ['a blank consent version', { consent: { dataUse: true, version: '   ' } }, 'consent.version'],
    [
      'consent to an older text',
      { consent: { dataUse: true, version: 'data-use-2026.01' } },
      'consent.version',
    ],
    [
      'an unknown field inside an amount',
      { requestedAmount: { amount: '100000.00', currency: 'CNY', x: 1 } },
      'requestedAmount.x',
    ],
    ['an unknown field', { extra: 1 }, 'extra'],
  ])('%s -> 400', async (_, overrides, field) => {
    const token = await api.token('enterprise', f.uscc);
    const body = JSON.parse(JSON.stringify(applicationBody(f, overrides)));
    const response = await api.call('POST', '/v1/applications', {
      token,
      body,
      headers: { 'idempotency-key': `bad-${field}` },
    });

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: expect.stringContaining(field) })]),
    );
    expect(await itemsOf(f.uscc)).toHaveLength(0);
  });

  it('refuses invalid JSON (400), a wrong media type (415) and an oversized body (413)', async () => {
    const token = await api.token('enterprise', f.uscc);
    const headers = { 'idempotency-key': 'bad-body-0001' };
    const invalid = await api.call('POST', '/v1/applications', { token, rawBody: '{"enterprise":', headers });
    const text = await api.call('POST', '/v1/applications', {
      token,
      rawBody: '{}',
      headers: { ...headers, 'content-type': 'text/plain' },
    });
    const huge = await api.call('POST', '/v1/applications', {
      token,
      body: applicationBody(f, { purpose: 'x'.repeat(20_000) }),
      headers,
    });

    expect([invalid.status, text.status, huge.status]).toEqual([400, 415, 413]);
    expect(await itemsOf(f.uscc)).toHaveLength(0);
  });

  it('answers a body over the front door’s limit 413 and still serves the next request on that connection', async () => {
    // One keep-alive connection for both requests, as a mobile client's HTTP stack reuses it.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (method: string, path: string, body?: Buffer) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const request = httpRequest(
          `${api.runtime.url}${path}`,
          { method, agent, headers: body ? { 'content-type': 'application/json' } : {} },
          (response) => {
            let text = '';
            response.setEncoding('utf8');
            response.on('data', (chunk: string) => {
              text += chunk;
            });
            response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
          },
        );
        request.on('error', reject);
        request.end(body);
      });
    try {
      const huge = await send('POST', '/v1/applications', Buffer.alloc(2 * 1024 * 1024, 'x'));
      expect(huge.status).toBe(413);
      expect(JSON.parse(huge.text).detail).toMatch(/at most/);
      for (let i = 0; i < 3; i++) expect((await send('GET', '/health')).status).toBe(200);
    } finally {
      agent.destroy();
    }
  });

  it('tells a newcomer what the simulated registry holds for a code outside the catalogue', async () => {
    const first17 = '91350102MA3Q7X8N2';
    const uscc = `${first17}${usccCheckCharacter(first17)}`;
    const bad = await api.call('GET', '/local/registry?uscc=91350102MA3Q7X8N20');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('query.uscc');
    const { status, body: registered } = await api.call<{ name: string; legalRepresentativeName: string }>(
      'GET',
      `/local/registry?uscc=${uscc}`,
    );
    expect(status).toBe(200);
    const applicant = fixture('healthy');
    const decide = async (name: string, key: string) => {
      const token = await api.token('enterprise', uscc);
      const applied = await api.call<{ applicationId: string }>('POST', '/v1/applications', {
        token,
        body: applicationBody(
          { ...applicant, uscc, name },
          {
            legalRepresentative: {
              ...applicant.legalRepresentative,
              name: registered.legalRepresentativeName,
            },
          },
        ),
        headers: { 'idempotency-key': key },
      });
      expect(applied.status).toBe(202);
      const app = await api.waitFor(applied.body.applicationId, token, (a) => a.decision !== undefined);
      return (app.decision as { reasons: { code: string }[] }).reasons.map((r) => r.code);
    };
    expect(await decide(registered.name, 'registry-name-0001')).not.toContain('ID_NAME_MISMATCH');
    expect(await decide(`${registered.name}X`, 'registry-name-0002')).toContain('ID_NAME_MISMATCH');
  });

  it('refuses a review decision above the proposed limit (422)', async () => {
    const borderline = fixture('borderline');
    const token = await api.token('enterprise', borderline.uscc);
    const { body } = await api.apply(borderline, token);
    await api.waitFor(body.applicationId, token, api.status('IN_REVIEW'));

    const response = await api.call('POST', `/v1/reviews/${body.applicationId}/decision`, {
      token: await api.token('officer'),
      body: { outcome: 'APPROVE', limit: { amount: '9000000.00', currency: 'CNY' }, comment: 'more please' },
    });

    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'limit.amount' })]);
    const still = await api.call('GET', `/v1/applications/${body.applicationId}`, { token });
    expect(still.body.status).toBe('IN_REVIEW');
  });
});

describe('hostile input: what the edge used to let through', () => {
  const f = fixture('bureau-down');
  const problemFields = (response: { body: Record<string, unknown> }) =>
    ((response.body.errors ?? []) as { field: string }[]).map((e) => e.field);

  it('answers a malformed percent-encoding in a path with 400 naming the parameter, not 500', async () => {
    const token = await api.token('enterprise', f.uscc);
    for (const [method, path, field] of [
      ['GET', '/v1/loans/%ZZ', 'path.id'],
      ['GET', '/v1/loans/%E0%A4%A/schedule', 'path.id'],
      ['POST', '/v1/applications/%C0%AF/offer/accept', 'path.id'],
      ['GET', '/v1/credit-lines/CL-1/drawdowns/%', 'path.drawdownId'],
    ] as const) {
      for (const response of [await api.call(method, path, { token }), await api.call(method, path)]) {
        expect(response.status, `${method} ${path}`).toBe(400);
        expect(response.headers.get('content-type')).toBe('application/problem+json');
        expect(problemFields(response)).toEqual([field]);
      }
    }
  });

  it('refuses a well-formed escape in an id rather than decoding it twice (API Gateway passes it on as sent)', async () => {
    const token = await api.token('enterprise', f.uscc);
    const response = await api.call('GET', '/v1/loans/LN%2D1', { token });

    expect(response.status).toBe(400);
    expect(problemFields(response)).toEqual(['path.id']);
  });

  it.each([
    ['an unknown key in a money object', '{"amount":{"amount":"10.00","currency":"CNY","x":1}}', 'amount.x'],
    [
      'a __proto__ key in a money object',
      '{"amount":{"amount":"10.00","currency":"CNY","__proto__":{"currency":"USD"}}}',
      'amount.__proto__',
    ],
    [
      'a __proto__ key at the top',
      '{"__proto__":{"prepayment":"SHORTEN_TERM"},"amount":{"amount":"10.00","currency":"CNY"}}',
      '__proto__',
    ],
    [
      'a constructor key',
      '{"amount":{"amount":"10.00","currency":"CNY","constructor":{}}}',
      'amount.constructor',
    ],
  ])('refuses %s with 400 naming it, and writes nothing', async (_, rawBody, field) => {
    const token = await api.token('enterprise', f.uscc);
    const response = await api.call('POST', '/v1/loans/LN-00000000-0000-4000-8000-000000000000/repayments', {
      token,
      rawBody,
      headers: { 'idempotency-key': `hostile-${field}` },
    });

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(problemFields(response)).toContain(field);
    expect(await itemsOf(f.uscc)).toHaveLength(0);
  });

  it('refuses a __proto__ key in an application instead of merging it', async () => {
    const token = await api.token('enterprise', f.uscc);
    const body = JSON.stringify(applicationBody(f)).replace(
      '"consent":{',
      '"consent":{"__proto__":{"dataUse":true},',
    );
    const response = await api.call('POST', '/v1/applications', {
      token,
      rawBody: body,
      headers: { 'idempotency-key': 'hostile-proto-0001' },
    });

    expect(response.status).toBe(400);
    expect(problemFields(response)).toEqual(['consent.__proto__']);
    expect(await itemsOf(f.uscc)).toHaveLength(0);
  });

  it.each(['0x10', '1e1', '+5', ' 5', '5.0', '0', '101', '', '9'.repeat(400)])(
    'reads limit=%j as decimal digits within 1 to 100 only (400 naming query.limit)',
    async (limit) => {
      const response = await api.call('GET', `/v1/reviews?limit=${encodeURIComponent(limit)}`, {
        token: await api.token('officer'),
      });

      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(problemFields(response)).toEqual(['query.limit']);
    },
  );

  it('still reads a plain decimal limit', async () => {
    const response = await api.call('GET', '/v1/reviews?limit=100', { token: await api.token('officer') });
    expect(response.status).toBe(200);
  });

  it('refuses unknown and repeated query parameters, on routes with and without a query', async () => {
    const officer = await api.token('officer');
    const unknown = await api.call('GET', '/v1/admin/blacklist?offset=10', { token: officer });
    const repeated = await api.call('GET', '/v1/reviews?limit=5&limit=6', { token: officer });
    const onHealth = await api.call('GET', '/health?debug=true');

    expect([unknown.status, repeated.status, onHealth.status]).toEqual([400, 400, 400]);
    expect(problemFields(unknown)).toEqual(['query.offset']);
    expect(problemFields(repeated)).toEqual(['query.limit']);
    expect(problemFields(onHealth)).toEqual(['query.debug']);
  });

  describe.each([
    ['loan', '/v1/loans/LN-00000000-0000-4000-8000-000000000000/statement'],
    ['credit line', '/v1/credit-lines/CL-00000000-0000-4000-8000-000000000000/statement'],
  ])('the %s statement period', (_, path) => {
    it.each([
      ['a start after the end', 'from=2026-03-02&to=2026-03-01', 'query.from'],
      ['367 days', 'from=2025-01-01&to=2026-01-02', 'query.to'],
      ['a start more than 366 days before the default end (today)', 'from=2000-01-01', 'query.from'],
    ])('refuses %s with 422 naming the parameter', async (_, query, field) => {
      const response = await api.call('GET', `${path}?${query}`, { token: await api.token('officer') });

      expect(response.status).toBe(422);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(problemFields(response)).toEqual([field]);
    });

    it('refuses an impossible date with 400 naming the parameter', async () => {
      const response = await api.call('GET', `${path}?to=2026-02-30`, { token: await api.token('officer') });

      expect(response.status).toBe(400);
      expect(problemFields(response)).toEqual(['query.to']);
    });

    it('accepts 366 days (a leap year) and then looks the resource up', async () => {
      const response = await api.call('GET', `${path}?from=2024-01-01&to=2024-12-31`, {
        token: await api.token('officer'),
      });
      expect(response.status).toBe(404);
    });
  });
});

describe('public routes', () => {
  it('serves health and the OpenAPI document, which matches docs/openapi.json', async () => {
    const health = await api.call('GET', '/health');
    const served = await api.call('GET', '/openapi.json');
    const written = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8'));

    expect(health.body).toMatchObject({ status: 'ok' });
    expect(served.body).toEqual(written);
    expect(Object.keys(served.body.paths as object)).not.toContain('/local/tokens');
  });

  it('answers unknown routes and wrong methods with 404, as API Gateway does', async () => {
    expect((await api.call('GET', '/v2/nothing')).status).toBe(404);
    expect((await api.call('DELETE', '/v1/applications')).status).toBe(404);
  });
});
