import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AUDIT_ACTIONS,
  AUDIT_ENTITY_TYPES,
  type AuditChange,
  AuditFormatError,
  type AuditRecord,
  appendToChain,
  canonicalJson,
  GENESIS,
  GENESIS_HASH,
  recordHash,
  verifyChain,
} from '../../shared/domain/audit.js';

const actor = { subject: 'approver-li', role: 'approver' };
const writeOff: AuditChange = {
  action: 'loan.written-off',
  entityType: 'LOAN',
  entityId: 'LN-1',
  before: { status: 'OVERDUE' },
  after: { status: 'WRITTEN_OFF', amount: '1200.00' },
};

function chainOf(changes: readonly AuditChange[], from = GENESIS) {
  let n = from.sequence;
  return appendToChain(from, {
    changes,
    actor,
    correlationId: 'req-1',
    at: '2026-11-20T02:00:00.000Z',
    newId: () => `audit-${++n}`,
  });
}

describe('canonicalJson', () => {
  it('sorts members by name at every depth and writes no whitespace (RFC 8785)', () => {
    // Prepare
    const value = { b: 1, a: { d: [true, null, 'x'], c: '中文' }, A: -0.5 };
    // Act / Assess
    expect(canonicalJson(value)).toBe('{"A":-0.5,"a":{"c":"中文","d":[true,null,"x"]},"b":1}');
  });

  it('leaves undefined members out, as the table does, and refuses what JSON cannot hold', () => {
    expect(canonicalJson({ a: undefined, b: 2 })).toBe('{"b":2}');
    expect(() => canonicalJson([undefined])).toThrow(AuditFormatError);
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(AuditFormatError);
    expect(() => canonicalJson({ s: new Set(['a']) })).toThrow(AuditFormatError);
    expect(() => canonicalJson({ d: new Date(0) })).toThrow(AuditFormatError);
  });
});

describe('appendToChain', () => {
  it('numbers records from the head on, links each to the one before, and hashes its content', () => {
    // Act
    const { records, head } = chainOf([writeOff, { ...writeOff, action: 'credit-line.frozen' }]);
    // Assess
    const [first, second] = records as [AuditRecord, AuditRecord];
    expect(first).toMatchObject({ sequence: 1, auditId: 'audit-1', prevHash: GENESIS_HASH, actor });
    expect(second).toMatchObject({ sequence: 2, prevHash: first.hash });
    const { hash, ...content } = first;
    expect(hash).toBe(createHash('sha256').update(canonicalJson(content)).digest('hex'));
    expect(head).toEqual({ sequence: 2, hash: second.hash });
  });

  it('continues a chain from any head', () => {
    const first = chainOf([writeOff]);
    const next = chainOf([writeOff], first.head);
    expect(next.records[0]?.sequence).toBe(2);
    expect(verifyChain([...first.records, ...next.records], { head: next.head }).intact).toBe(true);
  });
});

describe('verifyChain', () => {
  const { records, head } = chainOf(Array.from({ length: 5 }, () => writeOff));
  const at = (i: number) => records[i] as AuditRecord;

  it('verifies an intact chain, an empty one, and a part of one after a trusted record', () => {
    expect(verifyChain(records, { head })).toEqual({ intact: true, last: head });
    expect(verifyChain([], { head: GENESIS })).toEqual({ intact: true, last: GENESIS });
    expect(verifyChain(records.slice(2), { after: { sequence: 2, hash: at(1).hash }, head }).intact).toBe(
      true,
    );
  });

  it('names a deleted record as MISSING', () => {
    const verdict = verifyChain([at(0), at(1), at(3), at(4)], { head });
    expect(verdict).toMatchObject({ intact: false, firstBreak: { sequence: 3, kind: 'MISSING' } });
  });

  it('names a truncated chain by the first record its head still counts', () => {
    const verdict = verifyChain(records.slice(0, 3), { head });
    expect(verdict).toMatchObject({ intact: false, firstBreak: { sequence: 4, kind: 'MISSING' } });
  });

  it('names an edited record as EDITED', () => {
    const edited = { ...at(2), after: { status: 'ACTIVE' } };
    const verdict = verifyChain([at(0), at(1), edited, at(3), at(4)], { head });
    expect(verdict).toMatchObject({
      intact: false,
      firstBreak: { sequence: 3, kind: 'EDITED' },
      lastIntact: { sequence: 2 },
    });
  });

  it('names the record after an edited and re-hashed one as RELINKED, and a re-hashed last one against the head', () => {
    const rehash = (record: AuditRecord) => {
      const changed = { ...record, actor: { subject: 'someone-else', role: 'approver' } };
      return { ...changed, hash: recordHash(changed) };
    };
    expect(verifyChain([at(0), rehash(at(1)), at(2), at(3), at(4)], { head })).toMatchObject({
      firstBreak: { sequence: 3, kind: 'RELINKED' },
    });
    expect(verifyChain([...records.slice(0, 4), rehash(at(4))], { head })).toMatchObject({
      firstBreak: { sequence: 5, kind: 'EDITED' },
    });
  });

  it('names a record beyond the head, which no transaction of the system wrote', () => {
    const forged = chainOf([writeOff], head).records;
    expect(verifyChain([...records, ...forged], { head })).toMatchObject({
      firstBreak: { sequence: 6, kind: 'RELINKED' },
    });
  });

  it('treats a value no record can hold as an edit, not as an error', () => {
    const odd = { ...at(0), after: { tags: new Set(['x']) } } as unknown as AuditRecord;
    expect(verifyChain([odd, ...records.slice(1)], { head })).toMatchObject({
      firstBreak: { sequence: 1, kind: 'EDITED' },
    });
  });
});

const stateArb = fc.option(
  fc.dictionary(
    fc.string({ minLength: 1, maxLength: 8 }),
    fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null)),
    { maxKeys: 4 },
  ),
  { nil: null },
);
const changeArb: fc.Arbitrary<AuditChange> = fc.record({
  action: fc.constantFrom(...AUDIT_ACTIONS),
  entityType: fc.constantFrom(...AUDIT_ENTITY_TYPES),
  entityId: fc.string({ minLength: 1, maxLength: 12 }),
  before: stateArb,
  after: stateArb,
});
/** A chain built in batches, as transactions append it (one to three records each). */
const chainArb = fc
  .array(fc.array(changeArb, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 12 })
  .map((batches) => {
    let head = GENESIS;
    const records: AuditRecord[] = [];
    for (const [i, changes] of batches.entries()) {
      const appended = appendToChain(head, {
        changes,
        actor: { subject: `staff-${i % 3}`, role: 'officer' },
        correlationId: `req-${i}`,
        at: new Date(Date.UTC(2026, 10, 20, 2, i)).toISOString(),
        newId: () => `audit-${records.length}-${i}`,
      });
      records.push(...appended.records);
      head = appended.head;
    }
    return { records, head };
  });

describe('verifyChain, on random chains', () => {
  it('verifies every intact chain', () => {
    fc.assert(
      fc.property(chainArb, ({ records, head }) => {
        expect(verifyChain(records, { head })).toEqual({ intact: true, last: head });
      }),
    );
  });

  it('detects any deletion, at the deleted sequence number', () => {
    fc.assert(
      fc.property(chainArb, fc.nat(), ({ records, head }, pick) => {
        const i = pick % records.length;
        const verdict = verifyChain(records.toSpliced(i, 1), { head });
        expect(verdict).toMatchObject({ intact: false, firstBreak: { sequence: i + 1, kind: 'MISSING' } });
      }),
    );
  });

  it('detects any edit of any field, re-hashed or not, at or right after the edited record', () => {
    const fields = [
      'at',
      'actor',
      'action',
      'entityType',
      'entityId',
      'before',
      'after',
      'correlationId',
      'auditId',
    ] as const;
    fc.assert(
      fc.property(
        chainArb,
        fc.nat(),
        fc.constantFrom(...fields),
        fc.boolean(),
        ({ records, head }, pick, field, rehash) => {
          const i = pick % records.length;
          const original = records[i] as AuditRecord;
          const value =
            field === 'before' || field === 'after'
              ? { tampered: '\u0000' }
              : `${canonicalJson(original[field])}!`;
          const edited = { ...original, [field]: value } as AuditRecord;
          const tampered = records.with(i, rehash ? { ...edited, hash: recordHash(edited) } : edited);
          const verdict = verifyChain(tampered, { head });
          expect(verdict.intact).toBe(false);
          if (verdict.intact) return;
          // A re-hashed record still breaks the link of the next one (or the head, when it is the last).
          expect(verdict.firstBreak.sequence).toBe(rehash && i < records.length - 1 ? i + 2 : i + 1);
          expect(verdict.firstBreak.kind).toBe(rehash && i < records.length - 1 ? 'RELINKED' : 'EDITED');
        },
      ),
    );
  });

  it('detects any reordering', () => {
    fc.assert(
      fc.property(
        chainArb.filter(({ records }) => records.length >= 2),
        fc.nat(),
        fc.nat(),
        ({ records, head }, a, b) => {
          const i = a % records.length;
          const j = (i + 1 + (b % (records.length - 1))) % records.length;
          const swapped = records.with(i, records[j] as AuditRecord).with(j, records[i] as AuditRecord);
          const verdict = verifyChain(swapped, { head });
          expect(verdict).toMatchObject({ intact: false, firstBreak: { sequence: Math.min(i, j) + 1 } });
        },
      ),
    );
  });

  it('detects a record re-linked to another predecessor and re-hashed', () => {
    fc.assert(
      fc.property(
        chainArb.filter(({ records }) => records.length >= 2),
        fc.nat(),
        ({ records, head }, pick) => {
          const i = 1 + (pick % (records.length - 1));
          const original = records[i] as AuditRecord;
          const relinked = { ...original, prevHash: (records[0] as AuditRecord).prevHash };
          const tampered = records.with(i, { ...relinked, hash: recordHash(relinked) });
          const verdict = verifyChain(tampered, { head });
          expect(verdict).toMatchObject({ intact: false, firstBreak: { sequence: i + 1, kind: 'RELINKED' } });
        },
      ),
    );
  });
});
