import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_PARTNER_ID, samplePush, signPush } from '../../local/partner-push.js';
import { DynamoApplicationStore } from '../../shared/adapters/dynamodb/application-store.js';
import { keys } from '../../shared/adapters/dynamodb/table.js';
import { assess } from '../../shared/domain/decisioning/index.js';
import { fixture, startTestRuntime } from '../support/local-api.js';

let api: Awaited<ReturnType<typeof startTestRuntime>>;

beforeAll(async () => {
  api = await startTestRuntime();
});

afterAll(async () => {
  await api?.runtime.stop();
});

const PATH = `/v1/partner-data/${LOCAL_PARTNER_ID}`;

/** A partner platform's request: the body exactly as signed, and the Standard Webhooks headers. */
function push(body: unknown, signing: Parameters<typeof signPush>[1] = {}, path = PATH) {
  const rawBody = JSON.stringify(body);
  return api.call<Record<string, unknown>>('POST', path, { rawBody, headers: signPush(rawBody, signing) });
}

/** Every item the table holds under a partition key. */
async function itemsUnder(pk: string) {
  const { Items = [] } = await api.runtime.table.client.send(
    new QueryCommand({
      TableName: api.runtime.table.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
    }),
  );
  return Items;
}

const stored = (uscc: string) => itemsUnder(keys.partnerData(uscc, '', '').pk);

describe('a partner platform pushing data, signed per Standard Webhooks', () => {
  it('is stored once however often it is redelivered', async () => {
    const body = samplePush(fixture('heavy-borrower').uscc, { today: api.runtime.clock.now() });
    const id = 'msg_e2e_redelivery_01';

    const first = await push(body, { id });
    const again = await push(body, { id });

    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ webhookId: id, partnerId: LOCAL_PARTNER_ID, outcome: 'STORED' });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await stored(body.uscc)).toHaveLength(1);
    expect(await itemsUnder(keys.partnerReceipt(LOCAL_PARTNER_ID, id).pk)).toHaveLength(1);
  });

  it('refuses a wrong signature, an unknown partner and a bearer token with 401 problem+json, storing nothing', async () => {
    const body = samplePush(fixture('litigation').uscc, { today: api.runtime.clock.now() });
    const rawBody = JSON.stringify(body);
    const wrongSecret = await push(body, { secret: 'whsec_bm90IHRoZSBwYXJ0bmVyJ3Mgc2VjcmV0IGF0IGFsbA==' });
    const unknownPartner = await push(body, {}, '/v1/partner-data/unknown-partner');
    const tampered = await api.call('POST', PATH, {
      rawBody: rawBody.replace('"TMALL"', '"JD"'),
      headers: signPush(rawBody),
    });
    // The JWT authorizer is not in front of this route: a staff token authenticates nothing here.
    const bearer = await api.call('POST', PATH, { rawBody, token: await api.token('admin') });

    for (const response of [wrongSecret, unknownPartner, tampered, bearer]) {
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
    }
    expect(wrongSecret.body.detail).toBe(unknownPartner.body.detail);
    expect(await stored(body.uscc)).toHaveLength(0);
  });

  it('answers a signed but malformed body with 400 naming the field, storing nothing', async () => {
    const body = { ...samplePush(fixture('borderline').uscc, { today: api.runtime.clock.now() }) };
    const badUscc = await push({ ...body, uscc: '91500103MA2P5Q8R36' });
    const floatAmount = await push({ ...body, months: [{ month: body.months[0]?.month, amount: 81250.5 }] });

    expect(badUscc.status).toBe(400);
    expect(badUscc.body.errors).toEqual([expect.objectContaining({ field: 'uscc' })]);
    expect(floatAmount.status).toBe(400);
    expect(floatAmount.body.errors).toEqual([expect.objectContaining({ field: 'months.0.amount' })]);
    expect(await stored(body.uscc)).toHaveLength(0);
  });
});

describe('partner data in the decision', () => {
  it('is read when the enterprise applies and shown to staff only, without changing the outcome', async () => {
    const healthy = fixture('healthy');
    const body = samplePush(healthy.uscc, { today: api.runtime.clock.now(), monthly: 120_000 });
    expect((await push(body)).status).toBe(202);

    const enterprise = await api.token('enterprise', healthy.uscc);
    const { body: submitted } = await api.apply(healthy, enterprise);
    const customer = await api.waitFor(submitted.applicationId, enterprise, api.status('OFFERED'));
    const staff = await api.call<Record<string, unknown>>(
      'GET',
      `/v1/applications/${submitted.applicationId}`,
      {
        token: await api.token('officer'),
      },
    );

    const partner = (staff.body.assessment as { partner: Record<string, unknown> }).partner;
    expect(partner).toMatchObject({
      status: 'PRESENT',
      platforms: [
        { partnerId: LOCAL_PARTNER_ID, platform: 'TMALL', kind: 'ECOMMERCE_SALES', monthsInLast12: 12 },
      ],
      values: { partnerSales12m: expect.any(Number), partnerShareOfVerifiedRevenue: expect.any(Number) },
      signals: [expect.objectContaining({ code: 'PARTNER_DATA', severity: 'INFO' })],
    });
    expect(JSON.stringify(customer)).not.toContain('PARTNER');
    expect(customer).not.toHaveProperty('assessment');

    // The snapshot keeps what was read, so the explanation replays with the decision.
    const applications = new DynamoApplicationStore(api.runtime.table);
    const [app, snapshot] = await Promise.all([
      applications.get(submitted.applicationId),
      applications.getSnapshot(submitted.applicationId),
    ]);
    if (!app || !snapshot) throw new Error('the application or its snapshot was not stored');
    expect(snapshot.partner).toMatchObject({
      status: 'ANSWERED',
      data: [expect.objectContaining({ uscc: healthy.uscc })],
    });
    const replay = assess(app.applicant, snapshot);
    expect(replay.partner).toEqual(partner);
    expect(replay.decision.outcome).toBe('APPROVE');
  });

  it('is simply absent for an enterprise no platform pushed about', async () => {
    const f = fixture('healthy-large');
    const token = await api.token('enterprise', f.uscc);
    const { body } = await api.apply(f, token);
    await api.waitFor(body.applicationId, token, api.status('OFFERED'));
    const staff = await api.call<{ assessment: { partner: { status: string; signals: unknown[] } } }>(
      'GET',
      `/v1/applications/${body.applicationId}`,
      { token: await api.token('approver') },
    );

    expect(staff.body.assessment.partner).toMatchObject({ status: 'NONE', signals: [] });
  });
});
