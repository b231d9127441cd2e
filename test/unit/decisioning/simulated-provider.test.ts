import { describe, expect, it } from 'vitest';
import { SimulatedEnterpriseDataProvider } from '../../../shared/adapters/simulated/enterprise-data-provider.js';
import { enterpriseCatalogue } from '../../../shared/adapters/simulated/fixtures.js';
import { sumAmounts, trailingMonths } from '../../../shared/domain/decisioning/features.js';
import type { SourceName } from '../../../shared/domain/decisioning/types.js';
import { usccCheckCharacter } from '../../../shared/domain/identifiers.js';
import { AS_OF } from './builders.js';

const asOf = () => new Date('2026-11-15T02:00:00Z');
const open = () => new AbortController().signal;
const fixtureUscc = (scenario: string) =>
  enterpriseCatalogue.find((f) => f.scenario === scenario)?.uscc ?? '';
// A made-up code outside the catalogue, completed with its check character.
const GENERATED = `91110108MA0000001${usccCheckCharacter('91110108MA0000001')}`;

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
