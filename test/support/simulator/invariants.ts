import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoAuditLog } from '../../../shared/adapters/dynamodb/audit-log.js';
import { stripKeys } from '../../../shared/adapters/dynamodb/conditions.js';
import { DynamoLoanStore } from '../../../shared/adapters/dynamodb/loan-store.js';
import { keys } from '../../../shared/adapters/dynamodb/table.js';
import { SimulatedCoreBanking } from '../../../shared/adapters/simulated/core-banking.js';
import { businessDate } from '../../../shared/domain/business-date.js';
import {
  type DrawdownRecord,
  journalFromJson,
  type LoanRecord,
  type RepaymentRecord,
} from '../../../shared/domain/loan.js';
import { Money, type MoneyJson } from '../../../shared/domain/money.js';
import {
  addDays,
  balances,
  type JournalEntry,
  owedPerLedger,
  payoff,
  principalPerLedger,
} from '../../../shared/domain/servicing/index.js';
import { isOpen, loanState } from '../../../shared/services/loan-servicing.js';
import { verifyAuditTrail } from '../../../shared/services/read-audit.js';
import { quotePayoff } from '../../../shared/services/repay-loan.js';
import type { Answers } from './clients.js';
import { enterprise, message, type World } from './world.js';

const m = (json: MoneyJson | string) => (typeof json === 'string' ? Money.parse(json) : Money.fromJson(json));
const sum = (amounts: Money[]) => amounts.reduce((total, a) => total.add(a), Money.zero());

interface LoanView {
  loan: LoanRecord;
  journal: JournalEntry[];
  repayments: RepaymentRecord[];
}

/**
 * The money invariants, read straight from the table (no gate, no faults) once everything has
 * stopped: every violation is a sentence naming the records at fault.
 */
export async function checkInvariants(world: World, answers: Answers): Promise<string[]> {
  const out: string[] = [];
  const fail = (text: string) => out.push(text);
  const loans = new DynamoLoanStore(world.table);
  const core = new SimulatedCoreBanking(world.table, world.clock);
  const name = (loanId: string) => world.alias(loanId);

  const line = await loans.getCreditLine(world.creditLineId);
  if (!line) return [`credit line ${world.creditLineId} is gone`];
  const drawdowns = (await query(world, keys.creditLine(world.creditLineId).pk, 'DRAWDOWN#')).map((item) =>
    stripKeys<DrawdownRecord>(item),
  );
  const views = new Map<string, LoanView>();
  for (const loan of await loans.loansOfCreditLine(line)) {
    const journal: JournalEntry[] = [];
    for (const json of await loans.journal(loan.loanId)) {
      try {
        journal.push(journalFromJson(json));
      } catch (error) {
        // 3. Every journal entry balances (the constructor refuses one that does not).
        fail(
          `${name(loan.loanId)}: journal entry ${json.kind} ${json.reference} is unbookable: ${message(error)}`,
        );
      }
    }
    const repayments = (await query(world, keys.loan(loan.loanId).pk, 'REPAYMENT#')).map((item) =>
      stripKeys<RepaymentRecord>(item),
    );
    views.set(loan.loanId, { loan, journal, repayments });
  }
  const [debits, transfers, refunds] = await Promise.all([core.debits(), core.transfers(), core.refunds()]);

  // 1. No core-banking movement without its booking or refund, and no booking without its debit.
  const records = new Map<string, RepaymentRecord[]>();
  for (const view of views.values())
    for (const r of view.repayments) records.set(r.repaymentId, [...(records.get(r.repaymentId) ?? []), r]);
  const refundsOf = (reference: string) => refunds.filter((r) => r.debitReference === reference);
  const repaymentEntries = (loanId: string, reference: string) =>
    views.get(loanId)?.journal.filter((e) => e.kind === 'REPAYMENT' && e.reference === reference) ?? [];
  for (const debit of debits) {
    if (debit.status !== 'BOOKED') continue;
    const loanId = (debit as { loanId?: string }).loanId ?? '?';
    const held = records.get(debit.reference) ?? [];
    const what = `debit ${debit.reference} of ${debit.amount.amount} for ${name(loanId)}`;
    if (held.length !== 1) {
      fail(
        `${what} has ${held.length} repayment records${held.length ? ` (on ${held.map((r) => `${name(r.loanId)} ${r.status}`).join(', ')})` : ''}`,
      );
      continue;
    }
    const [record] = held as [RepaymentRecord];
    if (record.loanId !== loanId) fail(`${what} is recorded on ${name(record.loanId)}`);
    if (record.amount.amount !== debit.amount.amount) fail(`${what} is recorded as ${record.amount.amount}`);
    if (record.debitId !== debit.debitId)
      fail(`${what} (${debit.debitId}) is recorded under ${record.debitId}`);
    const entries = repaymentEntries(record.loanId, debit.reference);
    const status = record.status ?? 'BOOKED';
    if (status === 'BOOKED') {
      if (entries.length !== 1 || entries[0]?.amount.toString() !== debit.amount.amount)
        fail(
          `${what} is BOOKED with ${entries.map((e) => e.amount.toString()).join(', ') || 'no'} REPAYMENT entry`,
        );
      if (refundsOf(debit.reference).length > 0) fail(`${what} is BOOKED and refunded too`);
    } else if (status === 'REFUNDED') {
      const back = refundsOf(debit.reference);
      if (back.length !== 1 || back[0]?.amount.amount !== debit.amount.amount)
        fail(`${what} is REFUNDED with ${back.map((r) => r.amount.amount).join(', ') || 'no'} core refund`);
      if (entries.length > 0) fail(`${what} is REFUNDED but has a REPAYMENT entry`);
    } else fail(`${what} is still ${status}`);
  }
  for (const [reference, held] of records)
    for (const record of held) {
      const debit = debits.find((d) => d.reference === reference);
      if (debit?.status !== 'BOOKED')
        fail(
          `repayment ${reference} on ${name(record.loanId)} is ${record.status ?? 'BOOKED'} with no debit behind it`,
        );
    }
  for (const refund of refunds)
    if (!(records.get(refund.debitReference) ?? []).some((r) => r.status === 'REFUNDED'))
      fail(`refund ${refund.reference} of ${refund.amount.amount} has no REFUNDED repayment`);
  for (const { loan, journal } of views.values()) {
    if ((loan.pendingRepayments?.length ?? 0) > 0)
      fail(
        `${name(loan.loanId)} still holds intents ${loan.pendingRepayments?.map((p) => `${p.repaymentId} ${p.amount.amount}`).join(', ')}`,
      );
    for (const entry of journal.filter((e) => e.kind === 'REPAYMENT'))
      if (
        !(records.get(entry.reference) ?? []).some(
          (r) => r.loanId === loan.loanId && (r.status ?? 'BOOKED') === 'BOOKED',
        )
      )
        fail(`${name(loan.loanId)}: REPAYMENT entry ${entry.reference} has no BOOKED repayment record`);
  }

  // 2. No disbursement without its loan, none twice; nothing left REQUESTED.
  for (const transfer of transfers) {
    const drawdownId = transfer.reference.replace(/^DSB-/, '');
    const drawdown = drawdowns.find((d) => d.drawdownId === drawdownId);
    const loanId = `LN-${drawdownId}`;
    const view = views.get(loanId);
    const what = `transfer ${transfer.reference} of ${transfer.amount.amount}`;
    if (!drawdown) fail(`${what} has no draw-down`);
    else if (drawdown.status !== 'DISBURSED' || drawdown.transferId !== transfer.transferId)
      fail(
        `${what} (${transfer.transferId}): its draw-down is ${drawdown.status} under ${drawdown.transferId}`,
      );
    if (!view) {
      fail(`${what} has no loan ${name(loanId)}`);
      continue;
    }
    if (view.loan.principal.amount !== transfer.amount.amount || view.loan.transferId !== transfer.transferId)
      fail(`${what}: loan ${name(loanId)} is of ${view.loan.principal.amount} under ${view.loan.transferId}`);
    const booked = view.journal.filter((e) => e.kind === 'DISBURSEMENT');
    if (booked.length !== 1 || booked[0]?.reference !== transfer.transferId)
      fail(`${what}: ${name(loanId)} has ${booked.length} DISBURSEMENT entries`);
  }
  for (const drawdown of drawdowns) {
    const loanId = drawdown.loanId;
    if (drawdown.status === 'REQUESTED') fail(`draw-down of ${name(loanId)} is still REQUESTED`);
    else if (!transfers.some((t) => t.reference === `DSB-${drawdown.drawdownId}`))
      fail(`draw-down of ${name(loanId)} is DISBURSED without a transfer`);
    if (drawdown.status === 'DISBURSED' && !views.has(loanId))
      fail(`draw-down of ${name(loanId)} has no loan`);
  }
  for (const { loan } of views.values())
    if (loan.drawdownId && !drawdowns.some((d) => d.drawdownId === loan.drawdownId))
      fail(`${name(loan.loanId)} has no draw-down`);

  // 3 and 4. Balanced entries (above); each loan owes what its ledger says, and holds the principal it says.
  for (const { loan, journal } of views.values()) {
    const ledger = balances(journal);
    const owed = owedPerLedger(ledger);
    if (principalPerLedger(ledger).toString() !== loan.outstandingPrincipal.amount)
      fail(
        `${name(loan.loanId)} ${loan.status}: outstanding principal ${loan.outstandingPrincipal.amount}, ledger ${principalPerLedger(ledger).toString()}`,
      );
    if (!isOpen(loan)) {
      if (!owed.isZero())
        fail(`${name(loan.loanId)} is ${loan.status} but the ledger says ${owed.toString()} is owed`);
      continue;
    }
    // The payoff the day after the last accrual booked is what the ledger holds; when that day is
    // today, the quote the API gives must say the same.
    const state = loanState(loan);
    const day = addDays(state.accruedThrough, 1);
    const due = payoff(state, day).toString();
    if (due !== owed.toString())
      fail(`${name(loan.loanId)} ${loan.status}: payoff on ${day} ${due}, ledger owes ${owed.toString()}`);
    if (day === businessDate(world.clock.now()))
      try {
        const quote = await quotePayoff({ loans, clock: world.clock }, enterprise, loan.loanId);
        if (quote.amount.amount !== owed.toString())
          fail(
            `${name(loan.loanId)} ${loan.status}: quoted payoff ${quote.amount.amount}, ledger owes ${owed.toString()}`,
          );
      } catch (error) {
        fail(`${name(loan.loanId)}: payoff quote failed: ${message(error)}`);
      }
  }

  // 5. The line's used amount is the open principal of its loans (a write-off keeps what it wrote
  //    off used: the line is frozen, nothing is released), never more than its limit.
  let used = Money.zero();
  for (const { loan, journal } of views.values()) {
    if (loan.status !== 'WRITTEN_OFF') used = used.add(m(loan.outstandingPrincipal));
    else
      for (const entry of journal.filter((e) => e.kind === 'WRITE_OFF'))
        for (const l of entry.lines)
          if (l.side === 'CREDIT' && (l.account === 'LOAN_PRINCIPAL' || l.account === 'OVERDUE_PRINCIPAL'))
            used = used.add(l.amount);
  }
  used = used.add(sum(drawdowns.filter((d) => d.status === 'REQUESTED').map((d) => m(d.amount))));
  if (line.used.amount !== used.toString())
    fail(`credit line used ${line.used.amount}, but its loans hold ${used.toString()} of principal`);
  if (m(line.used).compare(m(line.limit)) > 0)
    fail(`credit line used ${line.used.amount} > limit ${line.limit.amount}`);
  if (m(line.used).isNegative()) fail(`credit line used ${line.used.amount} < 0`);

  // 6. One effect per idempotency key, and an answer that said "booked" stays booked.
  const byKey = new Map<string, Answers['repayments']>();
  for (const a of answers.repayments) byKey.set(a.key, [...(byKey.get(a.key) ?? []), a]);
  for (const [key, list] of byKey) {
    const ids = new Set(list.map((a) => `${a.record.repaymentId} ${a.loanId} ${a.record.amount.amount}`));
    if (ids.size > 1)
      fail(`repayment key ${key} was answered with different repayments: ${[...ids].join('; ')}`);
    for (const a of list) {
      const now = (records.get(a.record.repaymentId) ?? []).filter((r) => r.loanId === a.loanId);
      if (
        now.length !== 1 ||
        (now[0]?.status ?? 'BOOKED') !== 'BOOKED' ||
        now[0]?.amount.amount !== Money.parse(a.amount).toString()
      )
        fail(
          `repayment key ${key} was answered 201 BOOKED ${a.amount} on ${name(a.loanId)}, but its record is ${now.map((r) => `${r.status} ${r.amount.amount}`).join(', ') || 'missing'}`,
        );
    }
  }
  for (const [reference, held] of records)
    if (new Set(held.map((r) => r.loanId)).size !== held.length || held.length > 1)
      fail(`repayment id ${reference} has records on ${held.map((r) => name(r.loanId)).join(', ')}`);
  const drawn = new Map<string, Answers['drawdowns']>();
  for (const a of answers.drawdowns) drawn.set(a.key, [...(drawn.get(a.key) ?? []), a]);
  for (const [key, list] of drawn) {
    const ids = new Set(list.map((a) => `${a.drawdown.drawdownId} ${a.drawdown.amount.amount}`));
    if (ids.size > 1)
      fail(`draw-down key ${key} was answered with different draw-downs: ${[...ids].join('; ')}`);
    for (const a of list) {
      const record = drawdowns.find((d) => d.drawdownId === a.drawdown.drawdownId);
      if (!record || record.amount.amount !== a.drawdown.amount.amount)
        fail(
          `draw-down key ${key} was answered ${a.drawdown.amount.amount}, but the record is ${record?.amount.amount}`,
        );
    }
  }

  // A key only ever sent with one body was never reused: refusing a request under it as a reuse
  // refuses an honest retry (the first answer was lost, the money may have moved).
  for (const { key, op } of answers.refused)
    if ((answers.bodies.get(key)?.size ?? 0) === 1)
      fail(`${op} was refused as a reuse of key ${key}, which was only ever sent with this one body`);

  // 7. The settlement account holds what was paid in and out.
  if (world.shape.openingBalance !== undefined) {
    const expected = Money.parse(world.shape.openingBalance)
      .add(Money.ofMinor(world.balanceChanges))
      .add(sum(transfers.map((t) => m(t.amount))))
      .subtract(sum(debits.flatMap((d) => (d.status === 'BOOKED' ? [m(d.amount)] : []))))
      .add(sum(refunds.map((r) => m(r.amount))));
    const balance = await core.balance(enterprise.uscc ?? '');
    if (balance?.toString() !== expected.toString())
      fail(`settlement balance ${balance?.toString()}, but its movements make ${expected.toString()}`);
  }

  // 8. The audit trail verifies, and holds exactly one record of each audited change: the line's
  //    opening, each write-off, and the freeze (once, if the line is frozen).
  const audit = new DynamoAuditLog(world.table);
  const verification = await verifyAuditTrail({ audit }, { fromSequence: 1, limit: 1000 });
  if (!verification.intact)
    fail(
      `audit trail: ${verification.firstBreak?.kind} at record ${verification.firstBreak?.sequence}: ${verification.firstBreak?.detail}`,
    );
  const trail = verification.head.sequence ? await audit.range(1, verification.head.sequence) : [];
  const recorded = (action: string, entityId: string) =>
    trail.filter((r) => r.action === action && r.entityId === entityId).length;
  if (recorded('credit-line.opened', line.creditLineId) !== 1)
    fail(`credit line has ${recorded('credit-line.opened', line.creditLineId)} credit-line.opened records`);
  const frozen = recorded('credit-line.frozen', line.creditLineId);
  if (frozen !== (line.status === 'FROZEN' ? 1 : 0))
    fail(`credit line is ${line.status} with ${frozen} credit-line.frozen records`);
  for (const { loan } of views.values()) {
    const writtenOff = recorded('loan.written-off', loan.loanId);
    if (writtenOff !== (loan.status === 'WRITTEN_OFF' ? 1 : 0))
      fail(`${name(loan.loanId)} is ${loan.status} with ${writtenOff} loan.written-off records`);
  }
  return out;
}

async function query(world: World, pk: string, prefix: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await world.table.client.send(
      new QueryCommand({
        TableName: world.table.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
        ConsistentRead: true,
        ExclusiveStartKey,
      }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}
