import { describe, expect, it } from 'vitest';
import { SimulatedEnterpriseDataProvider } from '../../../shared/adapters/simulated/enterprise-data-provider.js';
import { type EnterpriseFixture, enterpriseCatalogue } from '../../../shared/adapters/simulated/fixtures.js';
import { assess } from '../../../shared/domain/decisioning/index.js';
import type { Applicant, Outcome } from '../../../shared/domain/decisioning/types.js';
import { parseResidentId, usccCheckCharacter } from '../../../shared/domain/identifiers.js';
import { Money } from '../../../shared/domain/money.js';
import { collectSources } from '../../../shared/services/collect-data.js';
import { asOlderSnapshot, collectFrom, runPipeline } from './builders.js';

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
        'round-tripping',
        'revenue-spike',
        'red-letter',
        'multi-lender',
        'serious-overdue',
        'customer-concentration',
        'open-lines',
        'low-tax',
      ]),
    );
  });

  it('gives the twin with unused credit lines elsewhere a smaller limit: half the undrawn lines count as debt', async () => {
    const healthy = await decideFixture('healthy');
    const openLines = await decideFixture('open-lines');

    // The same 400,000.00 drawn elsewhere and the same sales within the noise.
    expect(openLines.features.amounts?.outstandingDebt).toBe(healthy.features.amounts?.outstandingDebt);
    expect(
      Number(openLines.features.values.verifiedRevenue12m) /
        Number(healthy.features.values.verifiedRevenue12m),
    ).toBeCloseTo(1, 1);
    expect(openLines.decision.outcome).toBe('APPROVE');
    expect(openLines.pricing.limitCaps?.binding).toBe('DEBT_CAPACITY');
    expect(healthy.pricing.limitCaps?.binding).toBe('REVENUE_SHARE');
    expect(
      Money.parse(openLines.decision.limit ?? '0.00').compare(Money.parse(healthy.decision.limit ?? '0.00')),
    ).toBe(-1);
  });

  it('sizes the limit of the enterprise that pays little tax on ten times the tax it paid', async () => {
    const { decision, pricing, features } = await decideFixture('low-tax');
    expect(decision.outcome).toBe('APPROVE');
    expect(pricing.limitCaps?.binding).toBe('TAX_MULTIPLE');
    const taxCap = Money.parse(features.amounts?.taxPaid12m ?? '0.00').multiplyRatio(10n, 1n);
    expect(pricing.limitCaps?.taxMultiple).toBe(taxCap.toString());
    expect(decision.limit).toBe(taxCap.floorTo(Money.parse('1000.00')).toString());
  });

  it('stamps the LPR fixing in force on the decision date', async () => {
    const { decision } = await decideFixture('healthy');
    expect(decision.versions).toMatchObject({
      lpr: 'lpr-2026-10',
      features: 'features-3',
      identityPolicy: 'identity-2026.12',
      accessPolicy: 'access-2026.12',
      pricingPolicy: 'pricing-2026.12',
    });
  });

  it('replays snapshots stored before the richer records without failing, deciding the older scenarios as before', async () => {
    const newer = new Set([
      'round-tripping',
      'revenue-spike',
      'multi-lender',
      'serious-overdue',
      'customer-concentration',
      'open-lines',
      'low-tax',
    ]);
    for (const fixture of enterpriseCatalogue) {
      const older = asOlderSnapshot(await collectFrom(provider, fixture.uscc));
      const { decision, pricing } = runPipeline(applicantFor(fixture), older);
      expect(pricing.limitCaps?.taxMultiple).toBeNull();
      if (!newer.has(fixture.scenario))
        expect(decision.outcome, fixture.scenario).toBe(fixture.expectedOutcome);
    }
  });

  // The end-to-end tests apply on the machine's date, so a scenario must not depend on the month it is run in.
  it.each(['2026-01-20', '2026-04-01', '2026-07-31', '2026-09-10', '2027-02-28'])(
    'decides every scenario as expected in another season too (%s)',
    async (date) => {
      const seasonal = new SimulatedEnterpriseDataProvider({ asOf: () => new Date(`${date}T02:00:00Z`) });
      for (const fixture of enterpriseCatalogue) {
        const data = await collectSources(seasonal, fixture.uscc, date);
        const { decision } = assess(applicantFor(fixture), data, date);
        expect(decision.outcome, fixture.scenario).toBe(fixture.expectedOutcome);
        const codes = decision.reasons.map((reason) => reason.code);
        for (const code of fixture.expectedReasonCodes) expect(codes, fixture.scenario).toContain(code);
      }
    },
  );

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
