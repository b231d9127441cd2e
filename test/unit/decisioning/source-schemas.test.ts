import { describe, expect, it } from 'vitest';
import { SOURCE_SCHEMAS } from '../../../shared/adapters/http/source-schemas.js';
import { asOlderSnapshot, collected } from './builders.js';

/** The first problem zod finds, as the HTTP adapter reports it: the path and the message. */
function problem(schema: keyof typeof SOURCE_SCHEMAS, body: unknown): string | null {
  const parsed = SOURCE_SCHEMAS[schema].safeParse(body);
  if (parsed.success) return null;
  const [issue] = parsed.error.issues;
  return `${issue?.path.join('.')}: ${issue?.message}`;
}

const records = (older = false) => {
  const data = older ? asOlderSnapshot(collected()) : collected();
  return Object.fromEntries(
    (['registry', 'tax', 'invoices', 'bankFlows', 'litigation', 'bureau'] as const).map((source) => {
      const outcome = data[source];
      if (outcome.status !== 'ANSWERED') throw new Error('the builder answers every source');
      return [source, { ...outcome.data } as Record<string, unknown>];
    }),
  );
};

describe('the vendor contract for the richer records', () => {
  it.each([false, true])(
    'accepts every source, with the richer fields or without them (older=%s)',
    (older) => {
      for (const [source, record] of Object.entries(records(older))) {
        expect(problem(source as keyof typeof SOURCE_SCHEMAS, record), source).toBeNull();
      }
    },
  );

  const { registry, invoices, bankFlows, bureau } = records();
  it.each([
    {
      what: 'shareholders holding 120% between them',
      source: 'registry' as const,
      body: {
        ...registry,
        shareholders: [
          { name: '甲', share: 0.7, naturalPerson: true },
          { name: '乙', share: 0.5, naturalPerson: true },
        ],
      },
      expected: 'shareholders: shareholders hold more than 100% between them',
    },
    {
      what: 'a share as a percentage',
      source: 'invoices' as const,
      body: { ...invoices, topCustomers: [{ name: '甲', share: 45 }] },
      expected: 'topCustomers.0.share',
    },
    {
      what: 'an address change without a date',
      source: 'registry' as const,
      body: { ...registry, addressChanges: [{ changedOn: '2025-13-01' }] },
      expected: 'addressChanges.0.changedOn',
    },
    {
      what: 'a related party of an unknown kind',
      source: 'bankFlows' as const,
      body: {
        ...bankFlows,
        relatedPartyTransfers: [
          { month: '2026-10', counterparty: '甲', relation: 'FRIEND', inflow: '1.00', outflow: '0.00' },
        ],
      },
      expected: 'relatedPartyTransfers.0.relation',
    },
    {
      what: 'a negative returned-payment count',
      source: 'bankFlows' as const,
      body: { ...bankFlows, monthlyReturnedPayments: [{ month: '2026-10', count: -1 }] },
      expected: 'monthlyReturnedPayments.0.count',
    },
    {
      what: 'a credit line drawn beyond its limit',
      source: 'bureau' as const,
      body: {
        ...bureau,
        outstandingDebt: '600000.00',
        facilities: [
          { institution: '招商银行', type: 'CREDIT_LINE', limit: '500000.00', balance: '600000.00' },
        ],
      },
      expected: 'facilities.0.balance: a credit line cannot be drawn beyond its limit',
    },
    {
      what: 'facilities that do not add up to the debt',
      source: 'bureau' as const,
      body: { ...bureau, outstandingDebt: '600000.01' },
      expected: 'facilities: the facility balances must add up to outstandingDebt',
    },
    {
      what: 'fewer inquiries in 6 months than in 3',
      source: 'bureau' as const,
      body: { ...bureau, inquiriesLast3Months: 3, inquiriesLast6Months: 2 },
      expected: 'inquiriesLast6Months: must include the inquiries of the last 3 months',
    },
    {
      what: 'an overdue month of 0 days',
      source: 'bureau' as const,
      body: { ...bureau, overdueHistory: [{ month: '2026-01', worstDaysPastDue: 0 }] },
      expected: 'overdueHistory.0.worstDaysPastDue',
    },
  ])('refuses $what, naming the field', ({ source, body, expected }) => {
    expect(problem(source, body)).toContain(expected);
  });
});
