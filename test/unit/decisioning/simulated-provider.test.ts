import { describe, expect, it } from 'vitest';
import { SOURCE_SCHEMAS } from '../../../shared/adapters/http/source-schemas.js';
import { SimulatedEnterpriseDataProvider } from '../../../shared/adapters/simulated/enterprise-data-provider.js';
import { enterpriseCatalogue } from '../../../shared/adapters/simulated/fixtures.js';
import { sumAmounts, trailingMonths } from '../../../shared/domain/decisioning/features.js';
import { SOURCE_NAMES, type SourceName } from '../../../shared/domain/decisioning/types.js';
import { usccCheckCharacter } from '../../../shared/domain/identifiers.js';
import { Money } from '../../../shared/domain/money.js';
import { AS_OF } from './builders.js';

const asOf = () => new Date('2026-11-15T02:00:00Z');
const open = () => new AbortController().signal;
const fixtureUscc = (scenario: string) =>
  enterpriseCatalogue.find((f) => f.scenario === scenario)?.uscc ?? '';
// A made-up code outside the catalogue, completed with its check character.
const GENERATED = `91110108MA0000001${usccCheckCharacter('91110108MA0000001')}`;
const OTHER_GENERATED = `91440300MA5ABCDE1${usccCheckCharacter('91440300MA5ABCDE1')}`;
const sumOf = (amounts: readonly string[]) =>
  amounts.reduce((total, amount) => total.add(Money.parse(amount)), Money.zero());

describe('SimulatedEnterpriseDataProvider', () => {
  it('returns the 24 months before asOf, oldest first', async () => {
    const provider = new SimulatedEnterpriseDataProvider({ asOf });
    const tax = await provider.fetch('tax', fixtureUscc('healthy'), open());
    expect(tax?.monthlySales.map(({ month }) => month)).toEqual(trailingMonths(AS_OF, 24));
    expect(tax?.grade).toBe('A');
  });

  it('returns only the months since founding for a young company', async () => {
    const provider = new SimulatedEnterpriseDataProvider({ asOf });
    const registry = await provider.fetch('registry', fixtureUscc('young-company'), open());
    const tax = await provider.fetch('tax', fixtureUscc('young-company'), open());
    expect(registry?.establishedOn).toBe('2025-05-15');
    expect(tax?.monthlySales.map(({ month }) => month)).toEqual(trailingMonths(AS_OF, 18));
  });

  it('is deterministic for codes outside the catalogue, and coherent across sources', async () => {
    const first = new SimulatedEnterpriseDataProvider({ asOf });
    const second = new SimulatedEnterpriseDataProvider({ asOf });
    const sources: SourceName[] = ['registry', 'tax', 'invoices', 'bankFlows', 'litigation', 'bureau'];
    for (const source of sources) {
      expect(await first.fetch(source, GENERATED, open())).toEqual(
        await second.fetch(source, GENERATED, open()),
      );
    }
    const tax = await first.fetch('tax', GENERATED, open());
    const bank = await first.fetch('bankFlows', GENERATED, open());
    const inflowToSales =
      Number(sumAmounts(bank?.monthlyInflow ?? []).minor) / Number(sumAmounts(tax?.monthlySales ?? []).minor);
    expect(inflowToSales).toBeGreaterThan(0.9);
    expect(inflowToSales).toBeLessThan(1.35);
  });

  it('answers every source within the HTTP vendor contract, for the catalogue and for made-up codes', async () => {
    const provider = new SimulatedEnterpriseDataProvider({ asOf });
    const codes = [...enterpriseCatalogue.map((fixture) => fixture.uscc), GENERATED, OTHER_GENERATED];
    for (const uscc of codes) {
      for (const source of SOURCE_NAMES) {
        const record = await provider.fetch(source, uscc, open()).catch(() => null);
        if (record === null) continue;
        const parsed = SOURCE_SCHEMAS[source].safeParse(record);
        expect(parsed.error?.issues ?? [], `${source} of ${uscc}`).toEqual([]);
      }
    }
  });

  it('tells one coherent story across the richer records', async () => {
    const provider = new SimulatedEnterpriseDataProvider({ asOf });
    for (const uscc of [fixtureUscc('healthy'), fixtureUscc('round-tripping'), GENERATED]) {
      const registry = await provider.fetch('registry', uscc, open());
      const tax = await provider.fetch('tax', uscc, open());
      const invoices = await provider.fetch('invoices', uscc, open());
      const bank = await provider.fetch('bankFlows', uscc, open());
      const months = tax?.monthlySales.map(({ month }) => month);
      // Every monthly series covers the same months as the sales.
      for (const series of [tax?.monthlyTaxPaid, invoices?.monthlyReceived, bank?.monthlyBalance]) {
        expect(series?.map(({ month }) => month)).toEqual(months);
      }
      // Related-party money is part of each month's inflows and outflows, never more.
      for (const month of months ?? []) {
        const ofMonth = (bank?.relatedPartyTransfers ?? []).filter((transfer) => transfer.month === month);
        const inflow = bank?.monthlyInflow.find((entry) => entry.month === month)?.amount ?? '0.00';
        const outflow = bank?.monthlyOutflow.find((entry) => entry.month === month)?.amount ?? '0.00';
        expect(sumOf(ofMonth.map((t) => t.inflow)).compare(Money.parse(inflow))).toBeLessThanOrEqual(0);
        expect(sumOf(ofMonth.map((t) => t.outflow)).compare(Money.parse(outflow))).toBeLessThanOrEqual(0);
      }
      // The people the money goes to and from are the registered shareholders (and affiliates).
      const holders = new Set(registry?.shareholders?.map((holder) => holder.name));
      for (const transfer of bank?.relatedPartyTransfers ?? []) {
        if (transfer.relation !== 'AFFILIATE') expect(holders.has(transfer.counterparty)).toBe(true);
      }
      // Buyers are listed largest first.
      const shares = invoices?.topCustomers?.map((customer) => customer.share) ?? [];
      expect([...shares].sort((a, b) => b - a)).toEqual(shares);
    }
  });

  it('gives the fixtures their scenario in the richer records', async () => {
    const provider = new SimulatedEnterpriseDataProvider({ asOf });
    const spike = await provider.fetch('tax', fixtureUscc('revenue-spike'), open());
    const [earlier, , last2, last1] = (spike?.monthlySales ?? []).slice(-4).map((m) => Number(m.amount));
    expect((last1 ?? 0) / (earlier ?? 1)).toBeGreaterThan(2);
    expect((last2 ?? 0) / (earlier ?? 1)).toBeGreaterThan(2);

    const multi = await provider.fetch('bureau', fixtureUscc('multi-lender'), open());
    expect(new Set(multi?.facilities?.map((facility) => facility.institution)).size).toBe(6);
    expect(sumOf(multi?.facilities?.map((facility) => facility.balance) ?? []).toString()).toBe('1500000.00');

    const overdue = await provider.fetch('bureau', fixtureUscc('serious-overdue'), open());
    expect(overdue?.overdueHistory).toEqual([
      { month: '2026-04', worstDaysPastDue: 35 },
      { month: '2026-05', worstDaysPastDue: 65 },
      { month: '2026-06', worstDaysPastDue: 95 },
    ]);

    const concentrated = await provider.fetch('invoices', fixtureUscc('customer-concentration'), open());
    expect(concentrated?.topCustomers?.[0]?.share).toBe(0.68);

    const moved = await provider.fetch('registry', fixtureUscc('round-tripping'), open());
    expect(moved?.addressChanges).toEqual([
      { changedOn: '2025-04-15' },
      { changedOn: '2025-12-15' },
      { changedOn: '2026-07-15' },
    ]);
  });

  it('has no record of a code with a wrong check character', async () => {
    const provider = new SimulatedEnterpriseDataProvider({ asOf });
    expect(
      await provider.fetch(
        'registry',
        `${GENERATED.slice(0, 17)}${GENERATED.endsWith('0') ? '1' : '0'}`,
        open(),
      ),
    ).toBeNull();
  });

  it('simulates a missing and a failed source as the fixture says', async () => {
    const provider = new SimulatedEnterpriseDataProvider({ asOf });
    expect(await provider.fetch('bureau', fixtureUscc('thin-data'), open())).toBeNull();
    await expect(provider.fetch('bureau', fixtureUscc('bureau-down'), open())).rejects.toThrow(
      'simulated bureau outage',
    );
    expect(await provider.fetch('tax', fixtureUscc('bureau-down'), open())).not.toBeNull();
  });

  it('rejects when the caller aborts while it waits', async () => {
    const provider = new SimulatedEnterpriseDataProvider({ asOf, delayMs: 60_000 });
    const controller = new AbortController();
    const pending = provider.fetch('tax', GENERATED, controller.signal);
    controller.abort(new Error('collect stage timed out'));
    await expect(pending).rejects.toThrow();
  });

  it('rejects at once on a signal that is already aborted', async () => {
    const provider = new SimulatedEnterpriseDataProvider({ asOf });
    await expect(provider.fetch('tax', GENERATED, AbortSignal.abort())).rejects.toThrow();
  });

  it('asks the delay function for each source', async () => {
    const asked: SourceName[] = [];
    const provider = new SimulatedEnterpriseDataProvider({
      asOf,
      delayMs: (source) => {
        asked.push(source);
        return 0;
      },
    });
    await provider.fetch('litigation', GENERATED, open());
    expect(asked).toEqual(['litigation']);
  });

  it('serves a catalogue passed in instead of the default one', async () => {
    const [healthy] = enterpriseCatalogue;
    if (!healthy) throw new Error('empty catalogue');
    const provider = new SimulatedEnterpriseDataProvider({
      asOf,
      catalogue: [{ ...healthy, uscc: GENERATED, sources: { registry: 'MISSING' } }],
    });
    expect(await provider.fetch('registry', GENERATED, open())).toBeNull();
  });
});
