import { describe, expect, it } from 'vitest';
import { SimulatedEnterpriseDataProvider } from '../../../shared/adapters/simulated/enterprise-data-provider.js';
import { type EnterpriseFixture, enterpriseCatalogue } from '../../../shared/adapters/simulated/fixtures.js';
import type { Applicant, Outcome } from '../../../shared/domain/decisioning/types.js';
import { parseResidentId, usccCheckCharacter } from '../../../shared/domain/identifiers.js';
import { Money } from '../../../shared/domain/money.js';
import { collectFrom, runPipeline } from './builders.js';

// 10:00 in Shanghai on the business date AS_OF (2026-11-15).
const provider = new SimulatedEnterpriseDataProvider({ asOf: () => new Date('2026-11-15T02:00:00Z') });

function applicantFor(fixture: EnterpriseFixture): Applicant {
  return {
    uscc: fixture.uscc,
    enterpriseName: fixture.name,
    legalRepresentative: {
      name: fixture.legalRepresentative.name,
      birthDate: parseResidentId(fixture.legalRepresentative.idNumber).birthDate,
    },
    ...fixture.suggestedApplication,
  };
}

async function decideFixture(scenario: string) {
  const fixture = enterpriseCatalogue.find((candidate) => candidate.scenario === scenario);
  if (!fixture) throw new Error(`no fixture for scenario ${scenario}`);
  return runPipeline(applicantFor(fixture), await collectFrom(provider, fixture.uscc));
}

describe('the catalogue through the whole pipeline', () => {
  it.each(enterpriseCatalogue.map((fixture) => [fixture.scenario, fixture] as const))(
    '%s',
    async (_scenario, fixture) => {
      const { decision } = runPipeline(applicantFor(fixture), await collectFrom(provider, fixture.uscc));

      expect(decision.outcome).toBe(fixture.expectedOutcome);
      const codes = decision.reasons.map((reason) => reason.code);
      for (const code of fixture.expectedReasonCodes) expect(codes).toContain(code);
    },
  );

  it('covers every scenario the brief asks for', () => {
    expect(enterpriseCatalogue.map((fixture) => fixture.scenario)).toEqual(
      expect.arrayContaining([
        'healthy',
        'healthy-large',
        'young-company',
        'thin-data',
        'revenue-mismatch',
        'litigation',
        'blacklisted',
        'borderline',
        'heavy-borrower',
        'tax-grade-d',
      ]),
    );
  });

  it('gives the heavy borrower a smaller limit than its healthy twin with the same sales', async () => {
    const healthy = await decideFixture('healthy');
    const heavy = await decideFixture('heavy-borrower');

    const healthyLimit = Money.parse(healthy.decision.limit ?? '0.00');
    const heavyLimit = Money.parse(heavy.decision.limit ?? '0.00');
    expect(heavyLimit.isZero()).toBe(false);
    expect(heavyLimit.compare(healthyLimit)).toBe(-1);
    // Same sales within the simulated noise: the limit differs because of the debt, not the revenue.
    const ratio =
      Number(heavy.features.values.verifiedRevenue12m) / Number(healthy.features.values.verifiedRevenue12m);
    expect(ratio).toBeCloseTo(1, 1);
  });

  it('caps the large enterprise at the 10 million inclusive-finance ceiling', async () => {
    const { decision } = await decideFixture('healthy-large');
    expect(decision).toMatchObject({ outcome: 'APPROVE', limit: '10000000.00', termMonths: 36 });
  });
});

describe('codes outside the catalogue', () => {
  const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

  /** 200 valid codes from a fixed linear congruential sequence, so the test sees the same codes every run. */
  function randomCodes(count: number): string[] {
    let state = 20_261_115;
    const next = (modulo: number) => {
      state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
      return state % modulo;
    };
    return Array.from({ length: count }, () => {
      const region = String(110_000 + next(550_000));
      const body = Array.from({ length: 9 }, () => CHARSET.charAt(next(31))).join('');
      const first17 = `91${region}${body}`;
      return first17 + usccCheckCharacter(first17);
    });
  }

  it('decides 200 random valid codes without throwing, approving most ordinary businesses', async () => {
    const outcomes: Record<Outcome, number> = { APPROVE: 0, REFER: 0, DECLINE: 0 };
    for (const uscc of randomCodes(200)) {
      const data = await collectFrom(provider, uscc);
      if (data.registry.status !== 'ANSWERED') throw new Error(`no registry record for ${uscc}`);
      const applicant: Applicant = {
        uscc,
        enterpriseName: data.registry.data.name,
        legalRepresentative: { name: data.registry.data.legalRepresentativeName, birthDate: '1980-05-17' },
        product: 'REVOLVING_LINE',
        requestedAmount: '500000.00',
        termMonths: 12,
      };
      outcomes[runPipeline(applicant, data).decision.outcome] += 1;
    }
    expect(outcomes.APPROVE).toBeGreaterThanOrEqual(80);
    expect(outcomes.REFER).toBeGreaterThan(0);
    expect(outcomes.DECLINE).toBeLessThanOrEqual(30);
  });
});
