import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { LOCAL_PARTNER_PUSH_SECRET, signPush } from '../../local/partner-push.js';
import { lambdaContext } from '../../shared/adapters/local/lambda-context.js';
import { EnvironmentSecrets } from '../../shared/adapters/secrets.js';
import { UnauthorizedError } from '../../shared/domain/errors.js';
import { PartnerDataPushSchema } from '../../shared/http/application-schemas.js';
import { apiHandler, parseWith } from '../../shared/http/middleware.js';
import { HttpProblem } from '../../shared/http/problem.js';
import { ROUTES } from '../../shared/http/routes.js';
import { verifyWebhookSignature } from '../../shared/http/webhook-signature.js';

/** The library checks the timestamp against the real clock, so the tests sign with real time (whole seconds). */
const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
const OTHER_SECRET = 'whsec_b3RoZXIgcGFydG5lciBzZWNyZXQgZm9yIHRlc3Rz';
const BODY = JSON.stringify({ platform: 'TMALL', kind: 'ECOMMERCE_SALES' });

/** The error verifyWebhookSignature throws, so each case can assert its class and message. */
function refusal(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the request to be refused');
}

describe('Standard Webhooks signatures on partner pushes', () => {
  it('accepts a push signed with the partner secret and returns its id and time', () => {
    const headers = signPush(BODY, { id: 'msg_0001', at: NOW });

    expect(verifyWebhookSignature(LOCAL_PARTNER_PUSH_SECRET, BODY, headers, NOW)).toEqual({
      webhookId: 'msg_0001',
      sentAt: NOW,
    });
  });

  it('accepts any one matching signature of several, as while a partner rotates its secret', () => {
    const headers = signPush(BODY, { id: 'msg_0002', at: NOW });
    const old = signPush(BODY, { id: 'msg_0002', at: NOW, secret: OTHER_SECRET })['webhook-signature'];
    const both = { ...headers, 'webhook-signature': `${old} ${headers['webhook-signature']}` };

    expect(verifyWebhookSignature(LOCAL_PARTNER_PUSH_SECRET, BODY, both, NOW).webhookId).toBe('msg_0002');
  });

  it.each([
    ['another secret', OTHER_SECRET, BODY],
    ['a body changed after signing', LOCAL_PARTNER_PUSH_SECRET, BODY.replace('TMALL', 'JD')],
    ['an unknown partner (no secret)', undefined, BODY],
  ])('refuses %s with the same 401, naming no partner', (_, secret, body) => {
    const headers = signPush(BODY, { id: 'msg_0003', at: NOW });
    const error = refusal(() => verifyWebhookSignature(secret, body, headers, NOW));

    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error.message).toBe('the webhook signature could not be verified');
  });

  it.each([
    ['6 minutes old', -360_000, 'more than 5 minutes from the current time'],
    ['6 minutes ahead', 360_000, 'more than 5 minutes from the current time'],
  ])('refuses a timestamp %s', (_, shift, message) => {
    const at = new Date(NOW.getTime() + shift);
    const error = refusal(() =>
      verifyWebhookSignature(LOCAL_PARTNER_PUSH_SECRET, BODY, signPush(BODY, { at }), NOW),
    );

    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error.message).toContain(message);
  });

  it('accepts a timestamp 4 minutes old: within the tolerance', () => {
    const at = new Date(NOW.getTime() - 240_000);
    expect(() =>
      verifyWebhookSignature(LOCAL_PARTNER_PUSH_SECRET, BODY, signPush(BODY, { at }), NOW),
    ).not.toThrow();
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const)(
    'refuses a push without %s',
    (header) => {
      const { [header]: _, ...headers } = signPush(BODY, { at: NOW });
      const error = refusal(() => verifyWebhookSignature(LOCAL_PARTNER_PUSH_SECRET, BODY, headers, NOW));

      expect(error).toBeInstanceOf(UnauthorizedError);
      expect(error.message).toContain('headers are required');
    },
  );

  it('refuses a timestamp that is not whole seconds', () => {
    const headers = { ...signPush(BODY, { at: NOW }), 'webhook-timestamp': '2026-11-20T02:00:00Z' };
    expect(
      refusal(() => verifyWebhookSignature(LOCAL_PARTNER_PUSH_SECRET, BODY, headers, NOW)).message,
    ).toContain('whole seconds');
  });

  it('answers 400 for an authentic push whose webhook-id cannot be stored as a key', () => {
    const headers = signPush(BODY, { id: 'msg#1/2', at: NOW });
    const error = refusal(() => verifyWebhookSignature(LOCAL_PARTNER_PUSH_SECRET, BODY, headers, NOW));

    expect(error).toBeInstanceOf(HttpProblem);
    expect((error as HttpProblem).errors).toEqual([{ field: 'webhook-id', message: expect.any(String) }]);
  });

  it('matches the worked example in docs/webhooks.md, so partners can check their code against it', () => {
    const docs = readFileSync(new URL('../../docs/webhooks.md', import.meta.url), 'utf8');
    const body =
      '{"platform":"TMALL","kind":"ECOMMERCE_SALES","uscc":"91350102MA31K7Q230","asOf":"2026-10-31","months":[{"month":"2026-09","amount":"81250.00","orders":508},{"month":"2026-10","amount":"79800.50","orders":497}],"refundRatio":0.04}';
    const signature = new Webhook(LOCAL_PARTNER_PUSH_SECRET).sign(
      'msg_2Kq1demo0001',
      new Date(1_793_750_400_000),
      body,
    );

    expect(signature).toBe('v1,qoVs4Yfcb7wTc0hmnES6OeuOIKd3wfUCoageJVfaAts=');
    for (const text of [body, signature, LOCAL_PARTNER_PUSH_SECRET, 'msg_2Kq1demo0001', '1793750400'])
      expect(docs).toContain(text);
  });
});

describe('the push body', () => {
  const months = [
    { month: '2026-09', amount: '81250.00', orders: 508 },
    { month: '2026-10', amount: '79800.50' },
  ];
  const valid = {
    platform: 'TMALL',
    kind: 'ECOMMERCE_SALES',
    uscc: '91350102MA31K7Q230',
    asOf: '2026-10-31',
    months,
    refundRatio: 0.04,
  };
  const fields = (body: unknown) => {
    try {
      parseWith(PartnerDataPushSchema, body, 'body');
    } catch (error) {
      return ((error as HttpProblem).errors ?? []).map((e) => e.field);
    }
    return [];
  };

  it('accepts a well-formed push', () => {
    expect(fields(valid)).toEqual([]);
    expect(fields({ ...valid, refundRatio: undefined, kind: 'SUPPLY_CHAIN_ORDERS' })).toEqual([]);
  });

  it.each([
    ['a uscc with a wrong check digit', { uscc: '91350102MA31K7Q231' }, 'uscc'],
    ['an unknown kind', { kind: 'TAX_RETURNS' }, 'kind'],
    ['a platform code in lower case', { platform: 'tmall' }, 'platform'],
    ['a date that does not exist', { asOf: '2026-02-30' }, 'asOf'],
    ['a float-like amount', { months: [{ month: '2026-10', amount: '12.345' }] }, 'months.0.amount'],
    ['a number for an amount', { months: [{ month: '2026-10', amount: 12 }] }, 'months.0.amount'],
    ['a negative amount', { months: [{ month: '2026-10', amount: '-5.00' }] }, 'months.0.amount'],
    ['a month twice', { months: [months[0], months[0]] }, 'months.1.month'],
    ['months out of order', { months: [months[1], months[0]] }, 'months.1.month'],
    ['a month after asOf', { asOf: '2026-09-30' }, 'months.1.month'],
    ['no months', { months: [] }, 'months'],
    ['a refund ratio above 1', { refundRatio: 1.5 }, 'refundRatio'],
    [
      'a negative order count',
      { months: [{ month: '2026-10', amount: '1.00', orders: -1 }] },
      'months.0.orders',
    ],
    ['an unknown field', { channel: 'app' }, 'channel'],
  ])('refuses %s, naming the field', (_, change, field) => {
    expect(fields({ ...valid, ...change })).toEqual([field]);
  });
});

describe('partner push secrets', () => {
  const secrets = new EnvironmentSecrets({
    PARTNER_PUSH_SECRETS: JSON.stringify({ 'demo-marketplace': LOCAL_PARTNER_PUSH_SECRET }),
  });

  it('finds a configured partner and nothing for anyone else', async () => {
    expect(await secrets.partnerPushSecret('demo-marketplace')).toBe(LOCAL_PARTNER_PUSH_SECRET);
    expect(await secrets.partnerPushSecret('jd-supply')).toBeUndefined();
    expect(await secrets.partnerPushSecret('constructor')).toBeUndefined();
  });

  it('fails loudly on a mistyped setting instead of refusing every partner', async () => {
    const broken = new EnvironmentSecrets({ PARTNER_PUSH_SECRETS: '{demo-marketplace: whsec_x}' });
    await expect(broken.partnerPushSecret('demo-marketplace')).rejects.toThrow(/PARTNER_PUSH_SECRETS/);
  });
});

describe('a signed route', () => {
  it('cannot be built without its signature check', () => {
    expect(() => apiHandler(ROUTES.pushPartnerData, async () => ({ body: {} }))).toThrow(/signature check/);
  });

  it('checks the signature before it reads the body, so an unsigned caller learns nothing of the schema', async () => {
    const handler = apiHandler(
      ROUTES.pushPartnerData,
      async () => ({ body: {} }),
      async () => {
        throw new UnauthorizedError('the webhook signature could not be verified');
      },
    );
    const event = {
      path: '/v1/partner-data/demo-marketplace',
      headers: { 'content-type': 'text/plain' },
      body: 'not json at all',
      isBase64Encoded: false,
      pathParameters: { partnerId: 'demo-marketplace' },
      queryStringParameters: null,
      requestContext: { authorizer: null },
    } as unknown as APIGatewayProxyEvent;

    const response = await handler(event, lambdaContext('pushPartnerData'));

    expect(response.statusCode).toBe(401);
    expect(JSON.parse(response.body)).toMatchObject({ title: 'Unauthorized', status: 401 });
  });
});
