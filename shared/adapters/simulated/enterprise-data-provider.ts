import { setTimeout as delay } from 'node:timers/promises';
import { addMonths, businessDate } from '../../domain/business-date.js';
import type {
  CounterpartyShare,
  CreditFacility,
  MonthlyAmount,
  MonthlyCount,
  MonthlyOverdue,
  RelatedPartyRelation,
  RelatedPartyTransfer,
  Shareholder,
  SourceName,
  SourceRecords,
} from '../../domain/decisioning/types.js';
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
  // The details added later draw from a stream of their own, so the series above stay what they were.
  const details = mulberry32(fnv1a(`details:${uscc}`));
  const shareholders = profile.shareholders ?? [
    { name: enterprise.legalRepresentativeName, share: 0.7, naturalPerson: true },
    {
      name: `${enterprise.legalRepresentativeName.charAt(0)}${pick(GIVEN_NAMES, details)}`,
      share: 0.3,
      naturalPerson: true,
    },
  ];
  return {
    registry: {
      uscc,
      name: enterprise.name,
      legalRepresentativeName: enterprise.legalRepresentativeName,
      establishedOn: addMonths(asOf, -profile.establishedMonthsAgo),
      status: profile.registryStatus,
      registeredCapital: profile.registeredCapital,
      industryCode: profile.industryCode,
      shareholders,
      addressChanges: profile.addressChangesMonthsAgo
        .filter((monthsAgo) => monthsAgo < profile.establishedMonthsAgo)
        .sort((a, b) => b - a)
        .map((monthsAgo) => ({ changedOn: addMonths(asOf, -monthsAgo) })),
    },
    tax: {
      grade: profile.taxGrade,
      monthlySales: toAmounts(sales),
      arrears: profile.taxArrears,
      monthlyTaxPaid: toAmounts(scaled(sales, profile.taxBurden, 0.1, details)),
    },
    invoices: {
      monthlyIssued: toAmounts(invoices),
      redLetterRatio: profile.redLetterRatio,
      monthlyReceived: toAmounts(scaled(sales, profile.purchaseFactor, 0.05, details)),
      topCustomers: topCustomers(profile.topCustomerShare, details),
    },
    bankFlows: {
      monthlyInflow: toAmounts(inflows),
      monthlyOutflow: toAmounts(outflows),
      monthlyBalance: toAmounts(scaled(sales, profile.balanceFactor, 0.25, details)),
      monthlyReturnedPayments: returnedPayments(profile.returnedPayments12m, sales, details),
      relatedPartyTransfers: relatedPartyTransfers(enterprise, shareholders, inflows, details),
    },
    litigation: {
      casesAsDefendant: profile.casesAsDefendant,
      amountAsDefendant: profile.amountAsDefendant,
      dishonestJudgmentDebtor: profile.dishonestJudgmentDebtor,
    },
    bureau: {
      outstandingDebt: profile.outstandingDebt,
      overdueAccounts: profile.overdueAccounts,
      inquiriesLast3Months: profile.inquiriesLast3Months,
      inquiriesLast6Months:
        profile.inquiriesLast6Months ??
        profile.inquiriesLast3Months + Math.floor(profile.inquiriesLast3Months / 2),
      facilities: facilities(profile, details),
      overdueHistory: overdueHistory(profile, asOf),
    },
  };
}

/** A series that follows sales: `factor` yuan per yuan sold, with its own noise. */
function scaled(
  sales: readonly MonthlyFen[],
  factor: number,
  spread: number,
  random: () => number,
): MonthlyFen[] {
  return sales.map(({ month, fen }) => ({ month, fen: jitter(fen * factor, spread, random) }));
}

const BUYERS = ['华润', '永辉', '中粮', '国美', '苏宁', '京东', '物美', '大润发', '联华', '红旗'];

/**
 * Five buyers, the largest with `topShare` of the sales and each next one a quarter smaller,
 * but never more than 45% of what the buyers before them left: shares always add up to under 1.
 */
function topCustomers(topShare: number, random: () => number): CounterpartyShare[] {
  const start = Math.floor(random() * BUYERS.length);
  let left = 1 - topShare;
  let next = topShare;
  return BUYERS.slice(0, 5).map((_, index) => {
    const share = index === 0 ? topShare : Math.min(next, left * 0.45);
    if (index > 0) left -= share;
    next = share * 0.75;
    const buyer = BUYERS[(start + index) % BUYERS.length] ?? '客户';
    return { name: `${buyer}商业有限公司`, share: Math.round(share * 10_000) / 10_000 };
  });
}

/** `perYear` returned payments in each year of history, on months drawn at random. */
function returnedPayments(
  perYear: number,
  sales: readonly MonthlyFen[],
  random: () => number,
): MonthlyCount[] {
  const counts = new Map<string, number>();
  const latest = sales.slice(-12);
  const earlier = sales.slice(0, -12);
  for (const year of [latest, earlier]) {
    if (year.length === 0) continue;
    for (let index = 0; index < perYear; index += 1) {
      const month = year[Math.floor(random() * year.length)]?.month;
      if (month) counts.set(month, (counts.get(month) ?? 0) + 1);
    }
  }
  return [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([month, count]) => ({ month, count }));
}

/**
 * Money from the shareholders and affiliates, and back to them: each month a share of the
 * inflows comes from them (affiliates weigh twice a shareholder) and `relatedPartyReturnRatio`
 * of it goes back to the same party. Part of the inflows and outflows, not on top of them.
 */
function relatedPartyTransfers(
  enterprise: SimulatedEnterprise,
  shareholders: readonly Shareholder[],
  inflows: readonly MonthlyFen[],
  random: () => number,
): RelatedPartyTransfer[] {
  const { profile } = enterprise;
  if (profile.relatedPartyInflowShare === 0) return [];
  const parties: { counterparty: string; relation: RelatedPartyRelation; weight: number }[] = [
    ...shareholders.map((holder) => ({
      counterparty: holder.name,
      relation:
        holder.name === enterprise.legalRepresentativeName
          ? ('LEGAL_REPRESENTATIVE' as const)
          : ('SHAREHOLDER' as const),
      weight: 1,
    })),
    ...profile.affiliates.map((name) => ({ counterparty: name, relation: 'AFFILIATE' as const, weight: 2 })),
  ];
  const totalWeight = parties.reduce((sum, party) => sum + party.weight, 0);
  return inflows.flatMap(({ month, fen }) =>
    parties.map((party) => {
      const inflow = jitter(
        (fen * profile.relatedPartyInflowShare * party.weight) / totalWeight,
        0.3,
        random,
      );
      const outflow = jitter(inflow * profile.relatedPartyReturnRatio, 0.1, random);
      return {
        month,
        counterparty: party.counterparty,
        relation: party.relation,
        inflow: Money.ofMinor(BigInt(inflow)).toString(),
        outflow: Money.ofMinor(BigInt(outflow)).toString(),
      };
    }),
  );
}

const LENDERS = [
  '中国工商银行',
  '中国建设银行',
  '招商银行',
  '兴业银行',
  '浙江网商银行',
  '深圳前海微众银行',
  '中国银行',
  '交通银行',
];

/**
 * The debt elsewhere spread over `lenderCount` institutions in uneven parts, credit lines
 * and loans in turn. A line's limit is its balance over the utilisation; a loan's is what
 * was lent, a quarter more than is left. Balances add up to `outstandingDebt` to the fen.
 */
function facilities(profile: EnterpriseProfile, random: () => number): CreditFacility[] {
  const debt = Money.parse(profile.outstandingDebt).minor;
  const count = profile.lenderCount ?? (debt > 0n ? 2 : 0);
  if (count === 0) return [];
  const weights = Array.from({ length: count }, () => 0.5 + random());
  const totalWeight = weights.reduce((sum, weight) => sum + weight, 0);
  const start = Math.floor(random() * LENDERS.length);
  let left = debt;
  return weights.map((weight, index) => {
    const balance = index === count - 1 ? left : BigInt(Math.floor((Number(debt) * weight) / totalWeight));
    left -= balance;
    const type = debt === 0n || index % 2 === 0 ? ('CREDIT_LINE' as const) : ('LOAN' as const);
    // Without debt the lenders have granted lines that are not drawn: 5% of a year's sales each.
    const base =
      debt === 0n
        ? Number(Money.parse(profile.annualSales).minor) * 0.05
        : Number(balance) / (type === 'CREDIT_LINE' ? profile.creditLineUtilisation : 0.8);
    const limit = BigInt(Math.ceil(base / 100_000) * 100_000);
    return {
      institution: `${LENDERS[(start + index) % LENDERS.length] ?? '银行'}${index >= LENDERS.length ? index : ''}`,
      type,
      limit: Money.ofMinor(limit).toString(),
      balance: Money.ofMinor(balance).toString(),
    };
  });
}

/** The fixture's past overdue months, and last month for an account that is overdue today. */
function overdueHistory(profile: EnterpriseProfile, asOf: string): MonthlyOverdue[] {
  const history = [...profile.overdueHistory];
  if (profile.overdueAccounts > 0 && !history.some(({ monthsAgo }) => monthsAgo === 1)) {
    history.push({ monthsAgo: 1, worstDaysPastDue: 15 });
  }
  return history
    .filter(({ monthsAgo }) => monthsAgo <= Math.min(HISTORY_MONTHS, profile.establishedMonthsAgo))
    .sort((a, b) => b.monthsAgo - a.monthsAgo)
    .map(({ monthsAgo, worstDaysPastDue }) => ({
      month: addMonths(asOf, -monthsAgo).slice(0, 7),
      worstDaysPastDue,
    }));
}

interface MonthlyFen {
  month: string;
  fen: number;
}

/**
 * Monthly tax-declared sales for the months before `asOf` since the enterprise was founded:
 * a trend that compounds `growth` a year, centred so the latest twelve months add up to
 * about `annualSales`, times a yearly seasonal wave, times ±4% noise; and, for a fixture
 * with a `recentSalesSpike`, its last months multiplied (invoices, bank flows and tax follow).
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
    const spike =
      profile.recentSalesSpike && monthsBack <= profile.recentSalesSpike.months
        ? profile.recentSalesSpike.factor
        : 1;
    history.push({ month, fen: jitter(monthlyFen * trend * season * spike, 0.04, random) });
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

function pick<T>(items: readonly T[], random: () => number): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new RangeError('cannot pick from an empty list');
  return item;
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
  const trade = pick(TRADES, random);
  const annualSalesYuan = Math.round(Math.exp(between(Math.log(800_000), Math.log(40_000_000))));
  const gradeDraw = random();
  const drawn = {
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
    registeredCapital: Money.ofMajor(pick([500_000, 1_000_000, 2_000_000, 5_000_000], random)).toString(),
    outstandingDebt: Money.ofMajor(
      random() < 0.3 ? 0 : Math.round(annualSalesYuan * between(0, 0.45)),
    ).toString(),
    overdueAccounts: random() < 0.02 ? 1 : 0,
    inquiriesLast3Months: Math.floor(between(0, 5)),
    casesAsDefendant: random() < 0.1 ? 1 : 0,
    amountAsDefendant: '0.00',
    dishonestJudgmentDebtor: false,
  } satisfies Partial<EnterpriseProfile>;
  const profile: EnterpriseProfile = { ...drawn, ...generatedDetails(uscc, drawn) };
  return {
    uscc,
    name: `模拟${trade.word}有限公司${uscc.slice(10, 16)}`,
    legalRepresentativeName: `${pick(SURNAMES, random)}${pick(GIVEN_NAMES, random)}`,
    profile,
    sources: {},
  };
}

/**
 * The rest of a generated profile, from a stream of its own so the draws above (and the
 * decisions made on them) stay what they were before these details existed: ordinary tax
 * burdens, buyers, balances and related-party money, one to four lenders for a borrower, and
 * now and then a bounced payment, an address change or a few days late on a loan long ago.
 */
function generatedDetails(
  uscc: string,
  drawn: Pick<EnterpriseProfile, 'establishedMonthsAgo' | 'outstandingDebt'>,
): Pick<
  EnterpriseProfile,
  | 'taxBurden'
  | 'purchaseFactor'
  | 'topCustomerShare'
  | 'balanceFactor'
  | 'returnedPayments12m'
  | 'relatedPartyInflowShare'
  | 'relatedPartyReturnRatio'
  | 'affiliates'
  | 'addressChangesMonthsAgo'
  | 'lenderCount'
  | 'creditLineUtilisation'
  | 'overdueHistory'
> {
  const random = mulberry32(fnv1a(`profile-details:${uscc}`));
  const between = (low: number, high: number) => low + (high - low) * random();
  const overdueHistory: EnterpriseProfile['overdueHistory'] = [];
  if (random() < 0.08) {
    overdueHistory.push({
      monthsAgo: 2 + Math.floor(random() * 22),
      worstDaysPastDue: 1 + Math.floor(random() * 29),
    });
  }
  return {
    taxBurden: between(0.015, 0.05),
    purchaseFactor: between(0.55, 0.9),
    topCustomerShare: between(0.05, 0.42),
    balanceFactor: between(0.2, 1.2),
    returnedPayments12m: random() < 0.85 ? 0 : 1 + Math.floor(random() * 3),
    relatedPartyInflowShare: between(0, 0.08),
    relatedPartyReturnRatio: between(0.2, 1),
    affiliates: [],
    addressChangesMonthsAgo:
      random() < 0.2 ? [1 + Math.floor(random() * (drawn.establishedMonthsAgo - 1))] : [],
    lenderCount: Money.parse(drawn.outstandingDebt).isZero() ? 0 : 1 + Math.floor(random() * 4),
    creditLineUtilisation: between(0.5, 1),
    overdueHistory,
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
