import { describe, expect, it } from 'vitest';
import { IDENTITY_POLICY, verifyIdentity } from '../../../shared/domain/decisioning/index.js';
import type { InternalChecks } from '../../../shared/domain/decisioning/types.js';
import { AS_OF, applicant, collected } from './builders.js';

function internal(
  overrides: Partial<InternalChecks['velocity']> = {},
  hits: InternalChecks['blacklistHits'] = [],
): InternalChecks {
  return {
    blacklistHits: hits,
    velocity: {
      windowDays: IDENTITY_POLICY.velocity.windowDays,
      otherEnterprisesSharingIdNumber: 0,
      otherEnterprisesSharingMobile: 0,
      earlierApplicationsOfEnterprise: 0,
      ...overrides,
    },
  };
}

const codes = (checks: InternalChecks) =>
  verifyIdentity(applicant(), { ...collected(), internal: checks }, AS_OF).signals.map(
    (s) => `${s.code}:${s.severity}`,
  );

describe("the bank's own records in the identity check", () => {
  it('passes a clean applicant', () => {
    expect(verifyIdentity(applicant(), { ...collected(), internal: internal() }, AS_OF).passed).toBe(true);
  });

  it('declines a blacklist hit, with the entry and reason for staff only', () => {
    const result = verifyIdentity(
      applicant(),
      {
        ...collected(),
        internal: internal({}, [{ kind: 'PERSON', entryId: 'e-1', reason: 'identity theft' }]),
      },
      AS_OF,
    );
    const [signal] = result.signals;
    expect(signal).toMatchObject({ code: 'BANK_BLACKLIST', severity: 'DECLINE' });
    expect(signal?.detail).toContain('identity theft');
    expect(signal?.customerMessage).not.toContain('blacklist');
  });

  it.each([
    [{ otherEnterprisesSharingIdNumber: 2 }, []],
    [{ otherEnterprisesSharingIdNumber: 3 }, ['VELOCITY_SHARED_REPRESENTATIVE:REFER']],
    [{ otherEnterprisesSharingMobile: 3 }, ['VELOCITY_SHARED_MOBILE:REFER']],
    [{ earlierApplicationsOfEnterprise: 3 }, []],
    [{ earlierApplicationsOfEnterprise: 4 }, ['VELOCITY_REPEAT_APPLICATIONS:REFER']],
  ])('velocity %j -> %j', (velocity, expected) => {
    expect(codes(internal(velocity))).toEqual(expected);
  });

  it('ignores snapshots taken before internal checks existed', () => {
    expect(verifyIdentity(applicant(), collected(), AS_OF).passed).toBe(true);
  });
});
