import { createServer, type Server, type Socket } from 'node:net';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePush } from '../../local/partner-push.js';
import { DynamoPartnerDataStore } from '../../shared/adapters/dynamodb/partner-data-store.js';
import { createDocumentClient, keys, type TableContext } from '../../shared/adapters/dynamodb/table.js';
import type { PartnerDataRecord } from '../../shared/domain/decisioning/partner.js';
import { ConflictError, IdempotencyKeyReusedError, ValidationError } from '../../shared/domain/errors.js';
import type { Clock } from '../../shared/ports/clock.js';
import { PartnerReceiptExistsError } from '../../shared/ports/stores.js';
import { collectPartnerData } from '../../shared/services/collect-data.js';
import { receivePartnerData } from '../../shared/services/receive-partner-data.js';
import { freshTable } from './table-fixture.js';

const USCC = '91350102MA31K7Q230';
const NOW = new Date('2026-11-20T02:00:00Z');
const clock: Clock = { now: () => NOW };

let table: TableContext;
let store: DynamoPartnerDataStore;

beforeAll(async () => {
  table = await freshTable();
  store = new DynamoPartnerDataStore(table);
});

function record(overrides: Partial<PartnerDataRecord> = {}): PartnerDataRecord {
  const { platform, kind, asOf, months, refundRatio } = samplePush(USCC, { today: NOW });
  return {
    partnerId: 'demo-marketplace',
    platform,
    kind,
    uscc: USCC,
    asOf,
    months,
    refundRatio,
    webhookId: `msg_${Math.random().toString(36).slice(2)}`,
    receivedAt: NOW.toISOString(),
    ...overrides,
  };
}

const receiptOf = (r: PartnerDataRecord) => ({
  partnerId: r.partnerId,
  webhookId: r.webhookId,
  bodyDigest: `digest-${r.webhookId}`,
  receivedAt: r.receivedAt,
  uscc: r.uscc,
  platform: r.platform,
  kind: r.kind,
  asOf: r.asOf,
});

/** Every item under a partition, to prove what a write did or did not leave behind. */
async function itemsUnder(pk: string) {
  const { Items = [] } = await table.client.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
    }),
  );
  return Items;
}

describe('the partner data store', () => {
  it('keeps the latest push per platform and kind, side by side, and only for its enterprise', async () => {
    const uscc = '91350100M000100Y43';
    const tmall = record({ uscc, platform: 'TMALL' });
    const jd = record({ uscc, platform: 'JD', kind: 'SUPPLY_CHAIN_ORDERS', partnerId: 'jd-supply' });
    expect((await store.record(tmall, receiptOf(tmall))).outcome).toBe('STORED');
    expect((await store.record(jd, receiptOf(jd))).outcome).toBe('STORED');

    const latest = await store.latestFor(uscc);
    expect(latest.map((r) => r.platform).sort()).toEqual(['JD', 'TMALL']);
    expect(latest.find((r) => r.platform === 'TMALL')).toEqual(tmall);
    expect(await store.latestFor('91330106MA2H2L3X1R')).toEqual([]);
    expect(await store.findReceipt('demo-marketplace', tmall.webhookId)).toMatchObject({
      outcome: 'STORED',
      uscc,
    });
  });

  it('replaces the data with a more recent push, keeps newer data when an older push arrives late', async () => {
    const uscc = '91310115MA1K4LXX2C';
    const october = record({ uscc, asOf: '2026-10-31' });
    const september = record({ uscc, asOf: '2026-09-30', months: october.months.slice(0, 22) });
    const november = record({ uscc, asOf: '2026-11-15' });

    await store.record(october, receiptOf(october));
    const late = await store.record(september, receiptOf(september));
    expect(late.outcome).toBe('SUPERSEDED');
    expect((await store.latestFor(uscc))[0]?.asOf).toBe('2026-10-31');

    await store.record(november, receiptOf(november));
    expect(await store.latestFor(uscc)).toEqual([november]);
    expect(await store.findReceipt('demo-marketplace', september.webhookId)).toMatchObject({
      outcome: 'SUPERSEDED',
    });
  });

  it('refuses a second write of a receipt and changes nothing', async () => {
    const uscc = '91440300MA5FUY1C4R';
    const first = record({ uscc });
    await store.record(first, receiptOf(first));
    const again = { ...first, asOf: '2026-11-19' };

    await expect(store.record(again, receiptOf(first))).rejects.toBeInstanceOf(PartnerReceiptExistsError);
    expect(await store.latestFor(uscc)).toEqual([first]);
  });

  it("refuses another partner's data for a platform a partner already supplies, writing nothing", async () => {
    const uscc = '91320594MA1MXX0L3T';
    const mine = record({ uscc });
    const theirs = record({ uscc, partnerId: 'other-partner', asOf: '2026-11-19' });
    await store.record(mine, receiptOf(mine));

    await expect(store.record(theirs, receiptOf(theirs))).rejects.toBeInstanceOf(ConflictError);
    expect(await store.latestFor(uscc)).toEqual([mine]);
    expect(await store.findReceipt('other-partner', theirs.webhookId)).toBeUndefined();
  });
});

describe('receiving a push', () => {
  const deps = () => ({ partnerData: store, clock });

  it('stores a redelivered message once and answers it with the first receipt', async () => {
    const push = samplePush('91350203MA2Y1N7Q8T', { today: NOW });
    const input = {
      partnerId: 'demo-marketplace',
      webhookId: 'msg_replay_01',
      rawBody: JSON.stringify(push),
      push,
    };

    const first = await receivePartnerData(deps(), input);
    const [latestBefore] = await store.latestFor(push.uscc);
    const again = await receivePartnerData(deps(), input);

    expect(first).toMatchObject({
      replayed: false,
      receipt: { outcome: 'STORED', webhookId: 'msg_replay_01' },
    });
    expect(again).toEqual({ replayed: true, receipt: first.receipt });
    expect(await store.latestFor(push.uscc)).toEqual([latestBefore]);
    // Receipts live under the partner and the id: exactly one each.
    expect(await itemsUnder(keys.partnerReceipt('demo-marketplace', 'msg_replay_01').pk)).toHaveLength(1);
    expect(await itemsUnder(keys.partnerData(push.uscc, '', '').pk)).toHaveLength(1);
  });

  it('refuses a known webhook-id with another body, and figures dated in the future', async () => {
    const push = samplePush('91350203MA2Y1N7Q8T', { today: NOW, platform: 'PDD' });
    const input = {
      partnerId: 'demo-marketplace',
      webhookId: 'msg_reuse_01',
      rawBody: JSON.stringify(push),
      push,
    };
    await receivePartnerData(deps(), input);

    await expect(
      receivePartnerData(deps(), { ...input, rawBody: JSON.stringify({ ...push, refundRatio: 0.5 }) }),
    ).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    await expect(
      receivePartnerData(deps(), {
        ...input,
        webhookId: 'msg_future_01',
        push: { ...push, asOf: '2026-12-31' },
      }),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(await store.findReceipt('demo-marketplace', 'msg_future_01')).toBeUndefined();
  });
});

describe('CollectData reading partner data', () => {
  let silent: Server;
  let silentEndpoint: string;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    // Accepts connections and never answers: a DynamoDB endpoint that hangs.
    silent = createServer((socket) => {
      sockets.add(socket);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    silentEndpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('answers MISSING for an enterprise no platform pushed about, ANSWERED with the pushes otherwise', async () => {
    expect(await collectPartnerData(store, '91110108MA01TEST5X', 1000)).toEqual({ status: 'MISSING' });
    const pushed = record({ uscc: '91110108MA01TEST5X' });
    await store.record(pushed, receiptOf(pushed));
    expect(await collectPartnerData(store, '91110108MA01TEST5X', 1000)).toEqual({
      status: 'ANSWERED',
      data: [pushed],
    });
  });

  it('records a failed read instead of throwing', async () => {
    const missingTable = new DynamoPartnerDataStore({ ...table, tableName: 'no-such-table' });
    const outcome = await collectPartnerData(missingTable, USCC, 2000);

    expect(outcome).toMatchObject({
      status: 'FAILED',
      error: expect.stringMatching(/non-existent table|not found/i),
    });
  });

  it('gives up on a store that does not answer within the bound', async () => {
    const hanging = new DynamoPartnerDataStore({
      client: createDocumentClient(silentEndpoint),
      tableName: table.tableName,
    });

    expect(await collectPartnerData(hanging, USCC, 300)).toEqual({
      status: 'FAILED',
      error: 'no answer within 300 ms',
    });
  });
});
