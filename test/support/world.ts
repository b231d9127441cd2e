import { ScanCommand, type ScanCommandOutput } from '@aws-sdk/lib-dynamodb';
import { LOCAL_PARTNER_ID, samplePush } from '../../local/partner-push.js';
import { applicationBody, fixture, type startTestRuntime } from './local-api.js';
import type { BaseRequest } from './openapi-fuzz.js';

type TestApi = Awaited<ReturnType<typeof startTestRuntime>>;

/**
 * One of everything a route can name, made over HTTP as the app, the officer and the admin
 * would: the owner's revolving line (approved, accepted, signed, disbursed) with its first
 * loan and a second draw-down, an application of another enterprise waiting for an officer,
 * and a blacklist entry. The hostile-input suites aim their requests at these, so a request
 * the edge wrongly lets through reaches a real object (and shows as a 2xx or a write) rather
 * than stopping at a 404.
 */
export interface World {
  owner: ReturnType<typeof fixture>;
  other: ReturnType<typeof fixture>;
  applicationId: string;
  creditLineId: string;
  loanId: string;
  drawdownId: string;
  reviewApplicationId: string;
  blacklistEntryId: string;
  /** Today's business date on the runtime's clock. */
  today: string;
}

async function poll<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const end = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > end) throw new Error(`${what}: not reached; last ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function buildWorld(api: TestApi): Promise<World> {
  const owner = fixture('healthy');
  const other = fixture('borderline');
  const ownerToken = await api.token('enterprise', owner.uscc);
  const otherToken = await api.token('enterprise', other.uscc);
  const admin = await api.token('admin');

  const [line, review, entry] = await Promise.all([
    (async () => {
      const { body } = await api.apply(owner, ownerToken, 'world-line-0001', {
        requestedAmount: { amount: '1000000.00', currency: 'CNY' },
        initialDrawdown: { amount: '200000.00', currency: 'CNY' },
      });
      const id = body.applicationId;
      await api.waitFor(id, ownerToken, api.status('OFFERED'));
      await api.call('POST', `/v1/applications/${id}/offer/accept`, { token: ownerToken });
      await api.waitFor(id, ownerToken, api.status('AWAITING_SIGNATURE'));
      await api.call('POST', `/v1/applications/${id}/contract/sign`, { token: ownerToken });
      const disbursed = await api.waitFor(id, ownerToken, api.status('DISBURSED'));
      const creditLineId = String(disbursed.creditLineId);
      const requested = await api.call<{ drawdownId: string }>(
        'POST',
        `/v1/credit-lines/${creditLineId}/drawdowns`,
        {
          token: ownerToken,
          body: {
            amount: { amount: '50000.00', currency: 'CNY' },
            termMonths: 3,
            repaymentMethod: 'DAILY_REVOLVING',
          },
          headers: { 'idempotency-key': 'world-draw-0001' },
        },
      );
      if (requested.status !== 202) throw new Error(`draw-down: ${JSON.stringify(requested.body)}`);
      const { drawdownId } = requested.body;
      await poll(
        () =>
          api.call('GET', `/v1/credit-lines/${creditLineId}/drawdowns/${drawdownId}`, { token: ownerToken }),
        (r) => r.body.status === 'DISBURSED',
        'draw-down disbursed',
      );
      return { applicationId: id, creditLineId, loanId: String(disbursed.loanId), drawdownId };
    })(),
    (async () => {
      const { body } = await api.apply(other, otherToken, 'world-review-0001');
      await api.waitFor(body.applicationId, otherToken, api.status('IN_REVIEW'));
      return body.applicationId;
    })(),
    api.call<{ entryId: string }>('POST', '/v1/admin/blacklist', {
      token: admin,
      body: { kind: 'ENTERPRISE', value: fixture('litigation').uscc, reason: 'world: a listed enterprise' },
    }),
  ]);
  if (entry.status !== 201) throw new Error(`blacklist entry: ${JSON.stringify(entry.body)}`);
  const { body: clock } = await api.call<{ now: string }>('GET', '/local/clock');
  const today = new Date(Date.parse(clock.now) + 8 * 3_600_000).toISOString().slice(0, 10);
  return {
    owner,
    other,
    ...line,
    reviewApplicationId: review,
    blacklistEntryId: entry.body.entryId,
    today,
  };
}

/** Every item of the runtime's table, keyed and sorted, to compare before and after. */
export async function tableSnapshot(api: TestApi): Promise<Map<string, string>> {
  const items = new Map<string, string>();
  let start: ScanCommandOutput['LastEvaluatedKey'];
  do {
    const page: ScanCommandOutput = await api.runtime.table.client.send(
      new ScanCommand({
        TableName: api.runtime.table.tableName,
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    for (const item of page.Items ?? []) items.set(`${item.pk} ${item.sk}`, JSON.stringify(item));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** What changed between two snapshots: keys added, removed or rewritten. */
export function tableChanges(before: Map<string, string>, after: Map<string, string>): string[] {
  const changed: string[] = [];
  for (const [key, item] of after)
    if (before.get(key) !== item) changed.push(before.has(key) ? `changed ${key}` : `added ${key}`);
  for (const key of before.keys()) if (!after.has(key)) changed.push(`removed ${key}`);
  return changed;
}

/**
 * Waits until the table stops changing (the workflows, the queue consumers and the stream
 * relay are done with what the world's requests set off): two snapshots 100 ms apart that
 * agree, within a deadline.
 */
export async function settledSnapshot(api: TestApi): Promise<Map<string, string>> {
  const end = Date.now() + 15_000;
  let previous = await tableSnapshot(api);
  for (;;) {
    await new Promise((r) => setTimeout(r, 100));
    const current = await tableSnapshot(api);
    if (tableChanges(previous, current).length === 0) return current;
    if (Date.now() > end)
      throw new Error(`the table is still changing: ${tableChanges(previous, current).join(', ')}`);
    previous = current;
  }
}

/**
 * A valid request of each operation (by operationId) on the world's objects: what the fuzz
 * breaks one thing of, and what the authorization matrix sends as each caller.
 */
export function validRequests(w: World, now: Date): Record<string, BaseRequest> {
  const loan = { id: w.loanId };
  const line = { id: w.creditLineId };
  const monthStart = `${w.today.slice(0, 8)}01`;
  const none = { path: {}, query: {} };
  return {
    getHealth: none,
    getOpenApi: none,
    submitApplication: { ...none, body: applicationBody(w.owner) },
    getApplication: { path: { id: w.applicationId }, query: {} },
    acceptOffer: { path: { id: w.applicationId }, query: {} },
    signContract: { path: { id: w.applicationId }, query: {} },
    listReviews: { path: {}, query: { status: 'PENDING', limit: '10' } },
    decideReview: {
      path: { applicationId: w.reviewApplicationId },
      query: {},
      body: { outcome: 'DECLINE', comment: 'declined by the fuzz base request' },
    },
    getCreditLine: { path: line, query: {} },
    getLoan: { path: loan, query: {} },
    getLoanSchedule: { path: loan, query: {} },
    requestDrawdown: {
      path: line,
      query: {},
      body: {
        amount: { amount: '1000.00', currency: 'CNY' },
        termMonths: 3,
        repaymentMethod: 'EQUAL_INSTALMENT',
        dueDay: 15,
      },
    },
    getDrawdown: { path: { id: w.creditLineId, drawdownId: w.drawdownId }, query: {} },
    getCreditLineStatement: { path: line, query: { from: monthStart, to: w.today } },
    repayLoan: {
      path: loan,
      query: {},
      body: { amount: { amount: '10.00', currency: 'CNY' }, prepayment: 'SHORTEN_TERM' },
    },
    getPayoff: { path: loan, query: { date: w.today } },
    getLoanStatement: { path: loan, query: { from: monthStart, to: w.today } },
    getLoanJournal: { path: loan, query: {} },
    writeOffLoan: { path: loan, query: {}, body: { reason: 'written off by the fuzz base request' } },
    addToBlacklist: {
      ...none,
      body: { kind: 'ENTERPRISE', value: w.other.uscc, reason: 'listed by the fuzz base request' },
    },
    listBlacklist: none,
    removeFromBlacklist: {
      path: { entryId: w.blacklistEntryId },
      query: {},
      body: { reason: 'removed by the fuzz base request' },
    },
    pushPartnerData: {
      path: { partnerId: LOCAL_PARTNER_ID },
      query: {},
      body: samplePush(w.owner.uscc, { today: now }),
    },
    getScoreDrift: { path: {}, query: { from: monthStart, to: w.today } },
    listAudit: {
      path: {},
      query: {
        from: new Date(now.getTime() - 86_400_000).toISOString(),
        to: new Date(now.getTime() + 60_000).toISOString(),
        limit: '20',
      },
    },
    verifyAuditTrail: { path: {}, query: { fromSequence: '1', limit: '100' } },
  };
}
