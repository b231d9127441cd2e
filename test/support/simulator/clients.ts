import { IdempotencyKeyReusedError } from '../../../shared/domain/errors.js';
import type { DrawdownRecord, RepaymentRecord } from '../../../shared/domain/loan.js';
import { Money } from '../../../shared/domain/money.js';
import { REPAYMENT_METHODS, type RepaymentMethod } from '../../../shared/domain/servicing/index.js';
import { accrueInterest } from '../../../shared/services/accrue-interest.js';
import { DrawdownMessage, disburseDrawdown, requestDrawdown } from '../../../shared/services/draw-down.js';
import { idempotentId } from '../../../shared/services/idempotency.js';
import { monitorActiveLoans } from '../../../shared/services/monitor-active-loans.js';
import { type ReconciliationReport, reconcile } from '../../../shared/services/reconcile.js';
import { relayEvents } from '../../../shared/services/relay-events.js';
import { quotePayoff, type RepaymentRequest, repayLoan } from '../../../shared/services/repay-loan.js';
import { writeOffLoan } from '../../../shared/services/write-off.js';
import type { Rng } from './random.js';
import { approver, enterprise, money, type Outcome, type World } from './world.js';

/** How a repayment's amount is chosen; resolved when the request is made (a payoff moves daily). */
type AmountSpec =
  | { kind: 'fixed'; amount: string }
  /** A share of today's payoff. */
  | { kind: 'part'; percent: number }
  /** Exactly what settles the loan today. */
  | { kind: 'payoff' }
  /** More than the payoff: must be refused. */
  | { kind: 'overPayoff'; extraMinor: number }
  /** Not a valid amount at all. */
  | { kind: 'invalid'; amount: string };

/** The body of a request, shared by twins (same key, same body): whoever asks first fixes it. */
interface Body<T> {
  promise?: Promise<T>;
}

export type OpSpec = { pause: number } & (
  | {
      kind: 'repay';
      loanId: string;
      key: string;
      amount: AmountSpec;
      /** Spell the amount without trailing zeros ("1200.5", "300"), as the API allows. */
      terse: boolean;
      prepayment: RepaymentRequest['prepayment'];
      body: Body<RepaymentRequest>;
      twin?: string;
    }
  | {
      kind: 'draw';
      key: string;
      request: {
        amount: { amount: string; currency: 'CNY' };
        termMonths: number;
        repaymentMethod: RepaymentMethod;
        dueDay?: number;
      };
      twin?: string;
    }
  | { kind: 'writeOff'; loanId: string }
  | { kind: 'quote'; loanId: string }
  /** Midnight passes (or several days do): the accrual, the post-loan job, maybe reconciliation. */
  | { kind: 'nightly'; days: number; reconcile: boolean }
  /** The enterprise pays into, or takes out of, its settlement account. */
  | { kind: 'balance'; amount: string }
  /** The disbursement worker takes what is on its queue. */
  | { kind: 'deliver' }
  /** The table's stream hands new event items to the relay. */
  | { kind: 'relay' }
);

/** What a request was answered, kept to check one effect per key at the end. */
export interface Answers {
  repayments: { key: string; loanId: string; amount: string; record: RepaymentRecord }[];
  drawdowns: { key: string; amount: string; drawdown: DrawdownRecord }[];
  /** Every body sent under each key (repayments and draw-downs: their keys never overlap). */
  bodies: Map<string, Set<string>>;
  /** Requests refused as a key reuse (IdempotencyKeyReusedError), by key. */
  refused: { key: string; op: string }[];
}

const RETRIES = 3;

/** A whole amount of fen in [low, high] fen, as a decimal string. */
const amountBetween = (rng: Rng, low: number, high: number) =>
  Money.ofMinor(BigInt(rng.between(low, high))).toString();

/**
 * The clients of a seed and what each will do, all drawn from the seed's schedule stream before
 * anything runs. Repayments and draw-downs sometimes get a twin in another client: the same key
 * and body (a retry racing the first attempt), or the same key with another body (a client bug
 * the service must refuse).
 */
export function scripts(world: World, rng: Rng, scale = 1): OpSpec[][] {
  const clients = rng.between(2, 4);
  const out: OpSpec[][] = Array.from({ length: clients }, () => []);
  const limit = Money.parse(world.shape.limit).minor;
  const booked = [...world.loanIds];
  /** Loans draw-downs of the script will become (a request for one may come before it is booked). */
  const drawn: string[] = [];
  const loan = (other?: string) => {
    const candidates = (drawn.length > 0 && rng.chance(0.3) ? drawn : booked).filter((id) => id !== other);
    return candidates.length > 0 ? rng.pick(candidates) : rng.pick(booked);
  };
  let keys = 0;
  /** Think time before an operation (a long one waits for what other clients have in flight: World.advance). */
  const pause = () => {
    switch (rng.weighted({ none: 5, seconds: 3, minutes: 1.5, hours: 0.5 })) {
      case 'none':
        return 0;
      case 'seconds':
        return rng.between(1, 60) * 1000;
      case 'minutes':
        return rng.between(1, 30) * 60_000;
      default:
        return rng.between(1, 5) * 3600_000;
    }
  };
  const insertElsewhere = (client: number, spec: OpSpec) => {
    const other = (client + 1 + rng.int(clients - 1)) % clients;
    const list = out[other] as OpSpec[];
    list.splice(rng.int(list.length + 1), 0, spec);
  };
  const amountSpec = (): AmountSpec => {
    switch (rng.weighted({ fixed: 4, part: 3, payoff: 1, overPayoff: 1, invalid: 0.3 })) {
      case 'fixed':
        return { kind: 'fixed', amount: amountBetween(rng, 1, Number(limit / 10n)) };
      case 'part':
        return { kind: 'part', percent: rng.between(1, 60) };
      case 'payoff':
        return { kind: 'payoff' };
      case 'overPayoff':
        return { kind: 'overPayoff', extraMinor: rng.between(1, 100_000) };
      default:
        return { kind: 'invalid', amount: rng.pick(['0.00', '-5.00', '12.345', 'lots']) };
    }
  };
  for (let client = 0; client < clients; client++) {
    const n = Math.max(1, Math.round(rng.between(2, 5) * scale));
    for (let i = 0; i < n; i++) {
      const kind = rng.weighted({
        repay: 34,
        draw: 14,
        writeOff: 1.5,
        quote: 3,
        // One client runs the nightly jobs, as the scheduler does: midnights come one at a time.
        nightly: client === 0 ? 18 : 0,
        balance: world.shape.openingBalance === undefined ? 0 : 6,
        deliver: 17,
        relay: 14,
      });
      switch (kind) {
        case 'repay': {
          const key = `rp-${keys++}`;
          const spec: OpSpec = {
            pause: pause(),
            kind,
            loanId: loan(),
            key,
            amount: amountSpec(),
            prepayment: rng.pick(['LOWER_INSTALMENT', 'SHORTEN_TERM', undefined] as const),
            terse: rng.chance(0.25),
            body: {},
          };
          out[client]?.push(spec);
          if (clients > 1 && rng.chance(0.3)) {
            if (rng.chance(0.7)) insertElsewhere(client, { ...spec, pause: pause(), twin: 'same body' });
            else if (rng.chance(0.5))
              insertElsewhere(client, {
                ...spec,
                pause: pause(),
                amount: amountSpec(),
                body: {},
                twin: 'other amount',
              });
            else
              insertElsewhere(client, {
                ...spec,
                pause: pause(),
                loanId: loan(spec.loanId),
                body: {},
                twin: 'other loan',
              });
          }
          break;
        }
        case 'draw': {
          const key = `dd-${keys++}`;
          const spec: OpSpec = {
            pause: pause(),
            kind,
            key,
            request: {
              amount: money(amountBetween(rng, 100_00, Number((limit * 6n) / 10n))),
              termMonths: rng.chance(0.05) ? 13 : rng.between(1, 11),
              repaymentMethod: rng.pick(REPAYMENT_METHODS),
              ...(rng.chance(0.5) ? { dueDay: rng.chance(0.05) ? 29 : rng.between(1, 28) } : {}),
            },
          };
          out[client]?.push(spec);
          drawn.push(`LN-${idempotentId('DD', 'drawdowns', enterprise.subject, key)}`);
          if (clients > 1 && rng.chance(0.25))
            insertElsewhere(
              client,
              rng.chance(0.75)
                ? { ...spec, pause: pause(), twin: 'same body' }
                : {
                    ...spec,
                    pause: pause(),
                    request: { ...spec.request, termMonths: spec.request.termMonths + 1 },
                    twin: 'other body',
                  },
            );
          break;
        }
        case 'writeOff':
        case 'quote':
          out[client]?.push({ pause: pause(), kind, loanId: loan() });
          break;
        case 'nightly':
          out[client]?.push({
            pause: 0,
            kind,
            days: rng.chance(0.35) ? rng.between(12, 40) : 1,
            reconcile: rng.chance(0.5),
          });
          break;
        case 'balance':
          out[client]?.push({
            pause: pause(),
            kind,
            amount: rng.chance(0.3) ? '0.00' : amountBetween(rng, 1, Number(limit)),
          });
          break;
        default:
          out[client]?.push({ pause: pause(), kind });
      }
    }
  }
  return out;
}

/** Runs one client's script, one operation after another, retrying as a client or Lambda would. */
export async function runClient(
  world: World,
  client: number,
  script: readonly OpSpec[],
  answers: Answers,
): Promise<void> {
  const rng = world.faults.random;
  for (const spec of script) {
    if (spec.pause > 0) await world.advance(spec.pause);
    switch (spec.kind) {
      case 'repay':
        await retrying(world, rng, (attempt) => repay(world, client, spec, attempt, answers));
        break;
      case 'draw':
        await retrying(world, rng, (attempt) => draw(world, client, spec, attempt, answers));
        break;
      case 'writeOff':
        await world.run(
          client,
          'request',
          `write off ${world.alias(spec.loanId)}`,
          () => writeOffLoan(world.deps, approver, spec.loanId, 'simulated: uncollectable'),
          (loan) => `${loan.status} ${loan.writtenOff?.amount}`,
        );
        break;
      case 'quote':
        await world.run(
          client,
          'request',
          `quote ${world.alias(spec.loanId)}`,
          () => quotePayoff(world.deps, enterprise, spec.loanId),
          (quote) => `payoff ${quote.amount.amount}`,
        );
        break;
      case 'nightly':
        await nightly(world, client, spec.days, spec.reconcile);
        break;
      case 'balance':
        await setBalance(world, client, spec.amount);
        break;
      case 'deliver':
        await deliver(world, client, false);
        break;
      case 'relay':
        await relay(world, client);
        break;
    }
  }
}

/** A failed attempt is retried with the same key (a client after a 503 or a lost answer, or a Lambda retry). */
async function retrying<T>(world: World, rng: Rng, attempt: (n: number) => Promise<Outcome<T>>) {
  for (let n = 1; ; n++) {
    const outcome = await attempt(n);
    const retryable =
      outcome.status === 'crash' ||
      (outcome.status === 'error' && (outcome.http === 503 || outcome.http === 409 || outcome.http >= 500));
    if (!retryable || n > RETRIES || !rng.chance(0.7)) return outcome;
    await world.advance(rng.between(1, 60) * 1000);
  }
}

async function resolveAmount(world: World, spec: Extract<OpSpec, { kind: 'repay' }>): Promise<string> {
  const amount = spec.amount;
  if (amount.kind === 'fixed' || amount.kind === 'invalid') return amount.amount;
  // What the client would have read just before (GET payoff, GET loan), as the simulator: unfaulted.
  return world.harnessed(async () => {
    try {
      const payoff = Money.parse((await quotePayoff(world.deps, enterprise, spec.loanId)).amount.amount);
      if (amount.kind === 'payoff') return payoff.toString();
      if (amount.kind === 'overPayoff')
        return payoff.add(Money.ofMinor(BigInt(amount.extraMinor))).toString();
      const part = payoff.multiplyRatio(BigInt(amount.percent), 100n);
      return (part.isZero() ? Money.parse('0.01') : part).toString();
    } catch {
      return '100.00';
    }
  });
}

function repay(
  world: World,
  client: number,
  spec: Extract<OpSpec, { kind: 'repay' }>,
  attempt: number,
  answers: Answers,
) {
  const label = `repay ${world.alias(spec.loanId)} key=${spec.key}${spec.twin ? ` (twin: ${spec.twin})` : ''}${attempt > 1 ? ` try ${attempt}` : ''}`;
  return world
    .run(
      client,
      'request',
      label,
      async (op) => {
        spec.body.promise ??= resolveAmount(world, spec).then((amount) => ({
          amount: money(spec.terse && /^\d+\.\d\d$/.test(amount) ? amount.replace(/\.?0+$/, '') : amount),
          ...(spec.prepayment ? { prepayment: spec.prepayment } : {}),
        }));
        const request = await spec.body.promise;
        world.log(`  #${op.id} asks ${request.amount.amount}`);
        sent(answers, spec.key, { loanId: spec.loanId, request });
        const result = await repayLoan(world.deps, {
          principal: enterprise,
          loanId: spec.loanId,
          idempotencyKey: spec.key,
          request,
        });
        answers.repayments.push({
          key: spec.key,
          loanId: spec.loanId,
          amount: request.amount.amount,
          record: result.repayment,
        });
        return result;
      },
      (r) =>
        `201 ${r.repayment.status ?? 'BOOKED'} ${r.repayment.amount.amount}${r.replayed ? ' (replayed)' : ''}`,
    )
    .then((outcome) => refusal(answers, spec.key, label, outcome));
}

function sent(answers: Answers, key: string, body: unknown) {
  const bodies = answers.bodies.get(key) ?? new Set<string>();
  bodies.add(JSON.stringify(body));
  answers.bodies.set(key, bodies);
}

function refusal<T>(answers: Answers, key: string, op: string, outcome: Outcome<T>): Outcome<T> {
  if (outcome.status === 'error' && outcome.error instanceof IdempotencyKeyReusedError)
    answers.refused.push({ key, op });
  return outcome;
}

function draw(
  world: World,
  client: number,
  spec: Extract<OpSpec, { kind: 'draw' }>,
  attempt: number,
  answers: Answers,
) {
  const { request } = spec;
  const label = `draw ${request.amount.amount} ${request.termMonths}m ${request.repaymentMethod}${request.dueDay ? ` day ${request.dueDay}` : ''} key=${spec.key}${spec.twin ? ` (twin: ${spec.twin})` : ''}${attempt > 1 ? ` try ${attempt}` : ''}`;
  return world
    .run(
      client,
      'request',
      label,
      async () => {
        sent(answers, spec.key, request);
        const result = await requestDrawdown(world.deps, {
          principal: enterprise,
          creditLineId: world.creditLineId,
          idempotencyKey: spec.key,
          request,
        });
        answers.drawdowns.push({ key: spec.key, amount: request.amount.amount, drawdown: result.drawdown });
        return result;
      },
      (r) => `202 ${r.drawdown.status} → ${world.alias(r.drawdown.loanId)}${r.replayed ? ' (replayed)' : ''}`,
    )
    .then((outcome) => refusal(answers, spec.key, label, outcome));
}

/** The next business date's 01:30 in Shanghai, `days - 1` days later still. */
function nightlyInstant(now: Date, days: number): number {
  const local = now.getTime() + 8 * 3600_000;
  const midnight = local - (local % 86_400_000);
  return midnight + days * 86_400_000 + 90 * 60_000 - 8 * 3600_000;
}

/** Close of business: each job a separate step that its runner retries when it fails. */
export async function nightly(world: World, client: number, days: number, withReconcile: boolean) {
  const at = nightlyInstant(world.clock.now(), days);
  await world.advanceTo(at);
  const rng = world.faults.random;
  const step = async <T>(label: string, job: () => Promise<T>, describe: (value: T) => string) => {
    for (let attempt = 1; attempt <= 3; attempt++) {
      const outcome = await world.run(
        client,
        'job',
        `${label}${attempt > 1 ? ` try ${attempt}` : ''}`,
        job,
        describe,
      );
      if (outcome.status === 'ok' || !rng.chance(0.7)) return;
    }
  };
  await step(
    'nightly accrual',
    () => accrueInterest(world.deps),
    (s) => `through ${s.through}: ${s.loans} loans, ${s.datesBooked} dates`,
  );
  await step(
    'nightly post-loan job',
    () => monitorActiveLoans(world.deps),
    (s) => {
      for (const [outcome, n] of Object.entries(s.autoDebits)) world.count(`auto-debit ${outcome}`, n);
      return `${s.visited} visited ${JSON.stringify(s.autoDebits)}`;
    },
  );
  if (withReconcile) await step('nightly reconciliation', () => reconcile(world.deps), summary);
}

export const summary = (report: ReconciliationReport) =>
  `${report.checked.movements} movements, ${report.matched} matched ${JSON.stringify(report.counts)}`;

/** A deposit or withdrawal: the simulator's read-modify-write, with nothing in between. */
async function setBalance(world: World, client: number, amount: string) {
  await world.run(client, 'job', `settlement balance := ${amount}`, (op) =>
    world.scheduler.exclusive(op, () =>
      world.harnessed(async () => {
        const before = (await world.harness.core.balance(enterprise.uscc ?? '')) ?? Money.zero();
        await world.harness.core.setBalance(enterprise.uscc ?? '', Money.parse(amount));
        world.balanceChanges += Money.parse(amount).minor - before.minor;
      }),
    ),
  );
}

/**
 * The disbursement worker: takes some of the queued messages (the rest wait), in some order,
 * sometimes the same one twice at once, each as its own invocation. A message whose invocation
 * failed stays for redelivery; one handled may still be delivered again; one may be dead-lettered.
 * `all`: the end of the seed, when everything is delivered and nothing is lost.
 */
export async function deliver(world: World, client: number, all: boolean): Promise<void> {
  const queue = world.disbursementQueue.messages;
  const { faults } = world;
  const rng = faults.random;
  const taken: typeof queue = [];
  for (const message of [...queue]) {
    if (!all && faults.roll('delivery.delay', `message ${message.id} waits`)) continue;
    queue.splice(queue.indexOf(message), 1);
    if (!all && faults.roll('delivery.drop', `message ${message.id} dead-lettered`)) continue;
    taken.push(message);
  }
  if (taken.length === 0) return;
  const order = rng.shuffle(taken);
  if (order.some((m, i) => m !== taken[i]) && !all)
    faults.record('delivery.reorder', `${order.length} messages`);
  const copies = order.flatMap((m) =>
    !all && faults.roll('delivery.duplicate', `message ${m.id} delivered twice at once`) ? [m, m] : [m],
  );
  const outcomes = await Promise.all(
    copies.map((message) => {
      const body = DrawdownMessage.parse(JSON.parse(message.body));
      return world
        .run(
          client,
          'job',
          `disburse ${world.alias(`LN-${body.drawdownId}`)} (message ${message.id})`,
          () => disburseDrawdown(world.deps, body),
          (r) => (r.booked ? 'booked' : 'already disbursed'),
        )
        .then((outcome) => ({ message, outcome }));
    }),
  );
  for (const message of order) {
    const results = outcomes.filter((o) => o.message === message).map((o) => o.outcome);
    const handled = results.some((o) => o.status === 'ok');
    if (!handled || (!all && faults.roll('delivery.duplicate', `message ${message.id} redelivered`)))
      queue.push(message);
  }
}

/**
 * The stream: hands the relay the event items committed since it last did (losing some,
 * repeating some, out of order). A batch whose relay failed is retried, as the event source
 * mapping does; what it never delivers is left to reconciliation's outbox sweep.
 */
export async function relay(world: World, client: number): Promise<void> {
  const { faults } = world;
  const rng = faults.random;
  const batch: Record<string, unknown>[] = [];
  for (const event of world.stream.slice(world.streamPosition)) {
    if (
      faults.roll('stream.drop', `${String(event.type)} ${String(event.eventId).slice(-6)} never delivered`)
    )
      continue;
    batch.push(event);
  }
  world.streamPosition = world.stream.length;
  if (world.streamed.length > 0 && faults.roll('stream.duplicate', 'an event delivered again'))
    batch.push(rng.pick(world.streamed));
  if (batch.length === 0) return;
  world.streamed.push(...batch);
  const order = rng.shuffle(batch);
  if (order.some((e, i) => e !== batch[i])) faults.record('stream.reorder', `${order.length} events`);
  for (let attempt = 1; attempt <= 3; attempt++) {
    const outcome = await world.run(
      client,
      'job',
      `relay ${order.length} events${attempt > 1 ? ` try ${attempt}` : ''}`,
      () => relayEvents(world.deps, order),
      (n) => `${n} to partners`,
    );
    if (outcome.status === 'ok' || !rng.chance(0.7)) return;
  }
}
