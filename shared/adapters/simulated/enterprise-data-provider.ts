import { setTimeout as delay } from 'node:timers/promises';
import { addMonths, businessDate } from '../../domain/business-date.js';
import type { MonthlyAmount, SourceName, SourceRecords } from '../../domain/decisioning/types.js';
import { isValidUscc } from '../../domain/identifiers.js';
import { Money } from '../../domain/money.js';
import type { EnterpriseDataProvider } from '../../ports/enterprise-data.js';
import { type EnterpriseFixture, type EnterpriseProfile, enterpriseCatalogue } from './fixtures.js';

export interface SimulatedEnterpriseDataProviderOptions {
  catalogue?: readonly EnterpriseFixture[];
  /** Latency of each answer, to exercise the collect stage's timeouts. */
  delayMs?: number | ((source: SourceName) => number);
  /** The business date of `asOf()` anchors the 24 months of history. */
  asOf: () => Date;
}

/** The months of history the real sources return: two years lets growth compare full years. */
const HISTORY_MONTHS = 24;

/**
 * Stands in for the registry, tax, invoice, bank, court and bureau feeds. Deterministic:
 * an enterprise in the catalogue follows its fixture; any other valid code gets a profile
 * drawn from a PRNG seeded with a hash of the code, so the same code always tells the same
 * story and most made-up codes get an ordinary, coherent business. Invalid codes have no
 * record anywhere.
 */
export class SimulatedEnterpriseDataProvider implements EnterpriseDataProvider {
  private readonly catalogue: ReadonlyMap<string, SimulatedEnterprise>;

  constructor(private readonly options: SimulatedEnterpriseDataProviderOptions) {
    this.catalogue = new Map(
      (options.catalogue ?? enterpriseCatalogue).map((fixture) => [
        fixture.uscc,
        {
          uscc: fixture.uscc,
          name: fixture.name,
          legalRepresentativeName: fixture.legalRepresentative.name,
          profile: fixture.profile,
          sources: fixture.sources,
        },
      ]),
    );
  }

  async fetch<S extends SourceName>(
    source: S,
    uscc: string,
    signal: AbortSignal,
  ): Promise<SourceRecords[S] | null> {
    const { delayMs = 0 } = this.options;
    await delay(typeof delayMs === 'function' ? delayMs(source) : delayMs, undefined, { signal });
    if (!isValidUscc(uscc)) return null;
    const enterprise = this.catalogue.get(uscc) ?? generatedEnterprise(uscc);
    const behaviour = enterprise.sources[source];
    if (behaviour === 'FAILED') throw new Error(`simulated ${source} outage`);
    if (behaviour === 'MISSING') return null;
    return simulateRecords(enterprise, businessDate(this.options.asOf()))[source];
  }
}

interface SimulatedEnterprise {
  uscc: string;
  name: string;
  legalRepresentativeName: string;
  profile: EnterpriseProfile;
  sources: EnterpriseFixture['sources'];
}

function simulateRecords(enterprise: SimulatedEnterprise, asOf: string): SourceRecords {
  const { profile, uscc } = enterprise;
  const random = mulberry32(fnv1a(uscc));
  const sales = salesHistory(profile, asOf, random);
  const invoices = sales.map(({ month, fen }) => ({
    month,
    fen: jitter(fen * profile.invoiceFactor, 0.02, random),
  }));
  const inflows = sales.map(({ month, fen }) => ({
    month,
    fen: jitter(fen * profile.bankInflowFactor, 0.03, random),
  }));
  // Outflows run a little under inflows: suppliers, wages and tax paid out of the same account.
  const outflows = inflows.map(({ month, fen }) => ({ month, fen: jitter(fen * 0.9, 0.05, random) }));
  return {
    registry: {
      uscc,
      name: enterprise.name,
      legalRepresentativeName: enterprise.legalRepresentativeName,
      establishedOn: addMonths(asOf, -profile.establishedMonthsAgo),
      status: profile.registryStatus,
      registeredCapital: profile.registeredCapital,
      industryCode: profile.industryCode,
    },
    tax: { grade: profile.taxGrade, monthlySales: toAmounts(sales), arrears: profile.taxArrears },
    invoices: { monthlyIssued: toAmounts(invoices), redLetterRatio: profile.redLetterRatio },
    bankFlows: { monthlyInflow: toAmounts(inflows), monthlyOutflow: toAmounts(outflows) },
    litigation: {
      casesAsDefendant: profile.casesAsDefendant,
      amountAsDefendant: profile.amountAsDefendant,
      dishonestJudgmentDebtor: profile.dishonestJudgmentDebtor,
    },
    bureau: {
      outstandingDebt: profile.outstandingDebt,
      overdueAccounts: profile.overdueAccounts,
      inquiriesLast3Months: profile.inquiriesLast3Months,
    },
  };
}

interface MonthlyFen {
  month: string;
  fen: number;
}

/**
 * Monthly tax-declared sales for the months before `asOf` since the enterprise was founded:
 * a trend that compounds `growth` a year, centred so the latest twelve months add up to
 * about `annualSales`, times a yearly seasonal wave, times ±4% noise.
 */
function salesHistory(profile: EnterpriseProfile, asOf: string, random: () => number): MonthlyFen[] {
  const monthlyFen = Number(Money.parse(profile.annualSales).minor) / 12;
  const history: MonthlyFen[] = [];
  for (
    let monthsBack = Math.min(HISTORY_MONTHS, profile.establishedMonthsAgo);
    monthsBack >= 1;
    monthsBack -= 1
  ) {
    const month = addMonths(asOf, -monthsBack).slice(0, 7);
    const trend = (1 + profile.growth) ** (-(monthsBack - 6.5) / 12);
    const season = 1 + profile.seasonality * Math.sin((2 * Math.PI * Number(month.slice(5, 7))) / 12);
    history.push({ month, fen: jitter(monthlyFen * trend * season, 0.04, random) });
  }
  return history;
}

/** Simulated source data is drawn as floats and rounded to whole fen once, before it becomes money. */
function jitter(fen: number, spread: number, random: () => number): number {
  return Math.max(0, Math.round(fen * (1 + spread * (2 * random() - 1))));
}

function toAmounts(series: readonly MonthlyFen[]): MonthlyAmount[] {
  return series.map(({ month, fen }) => ({ month, amount: Money.ofMinor(BigInt(fen)).toString() }));
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周'];
const GIVEN_NAMES = ['建国', '海燕', '志强', '丽华', '晓明', '秀英', '永军', '春梅', '国庆', '雪峰'];
const TRADES = [
  { word: '商贸', industryCode: 'F5191' },
  { word: '机械制造', industryCode: 'C3421' },
  { word: '食品加工', industryCode: 'C1391' },
  { word: '物流', industryCode: 'G5438' },
  { word: '软件科技', industryCode: 'I6513' },
];

/**
 * An ordinary enterprise for a code outside the catalogue: 2-15 years old, 0.8-40 million
 * yuan of sales, growing -15%..+25%, invoices and bank flows close to declared sales. A few
 * draws land on a C tax grade, a lawsuit, arrears or an overdue loan, as in a real portfolio.
 */
function generatedEnterprise(uscc: string): SimulatedEnterprise {
  const random = mulberry32(fnv1a(`profile:${uscc}`));
  const between = (low: number, high: number) => low + (high - low) * random();
  const pick = <T>(items: readonly T[]): T => {
    const item = items[Math.floor(random() * items.length)];
    if (item === undefined) throw new RangeError('cannot pick from an empty list');
    return item;
  };
  const trade = pick(TRADES);
  const annualSalesYuan = Math.round(Math.exp(between(Math.log(800_000), Math.log(40_000_000))));
  const gradeDraw = random();
  const profile: EnterpriseProfile = {
    establishedMonthsAgo: Math.floor(between(24, 181)),
    annualSales: Money.ofMajor(annualSalesYuan).toString(),
    growth: between(-0.15, 0.25),
    seasonality: between(0, 0.2),
    invoiceFactor: between(0.93, 1),
    bankInflowFactor: between(1, 1.25),
    redLetterRatio: between(0, 0.03),
    taxGrade: gradeDraw < 0.4 ? 'A' : gradeDraw < 0.92 ? 'B' : 'C',
    taxArrears: random() < 0.03 ? '12800.00' : '0.00',
    registryStatus: 'ACTIVE',
    industryCode: trade.industryCode,
    registeredCapital: Money.ofMajor(pick([500_000, 1_000_000, 2_000_000, 5_000_000])).toString(),
    outstandingDebt: Money.ofMajor(
      random() < 0.3 ? 0 : Math.round(annualSalesYuan * between(0, 0.45)),
    ).toString(),
    overdueAccounts: random() < 0.02 ? 1 : 0,
    inquiriesLast3Months: Math.floor(between(0, 5)),
    casesAsDefendant: random() < 0.1 ? 1 : 0,
    amountAsDefendant: '0.00',
    dishonestJudgmentDebtor: false,
  };
  return {
    uscc,
    name: `模拟${trade.word}有限公司${uscc.slice(10, 16)}`,
    legalRepresentativeName: `${pick(SURNAMES)}${pick(GIVEN_NAMES)}`,
    profile,
    sources: {},
  };
}

/** FNV-1a, 32-bit: a small, well-spread string hash to seed the generator. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** mulberry32 (Tommy Ettinger, public domain): a 32-bit PRNG, plenty for simulated data and reproducible everywhere. */
function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
