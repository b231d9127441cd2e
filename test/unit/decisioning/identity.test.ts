import { describe, expect, it } from 'vitest';
import { verifyIdentity } from '../../../shared/domain/decisioning/identity.js';
import type { RegistryRecord } from '../../../shared/domain/decisioning/types.js';
import { AS_OF, answer, applicant, collected, flat, type SourceOverrides } from './builders.js';

const registry: RegistryRecord = {
  uscc: '91350102MA31K7Q230',
  name: '福州闽江源商贸有限公司',
  legalRepresentativeName: '林志远',
  establishedOn: '2019-09-15',
  status: 'ACTIVE',
  registeredCapital: '1000000.00',
  industryCode: 'F5191',
};

describe('verifyIdentity', () => {
  it('passes a consistent application without signals', () => {
    expect(verifyIdentity(applicant(), collected(), AS_OF)).toEqual({
      policyVersion: 'identity-2026.12',
      passed: true,
      signals: [],
    });
  });

  describe.each<{ name: string; overrides: SourceOverrides; code: string; severity: 'DECLINE' | 'REFER' }>([
    {
      name: 'another enterprise name in the registry',
      overrides: { registry: answer({ ...registry, name: '福州闽江源贸易有限公司' }) },
      code: 'ID_NAME_MISMATCH',
      severity: 'DECLINE',
    },
    {
      name: 'another legal representative',
      overrides: { registry: answer({ ...registry, legalRepresentativeName: '林志明' }) },
      code: 'ID_LEGAL_REP_MISMATCH',
      severity: 'DECLINE',
    },
    {
      name: 'the registry answering for another code',
      overrides: { registry: answer({ ...registry, uscc: '91350100M000100Y43' }) },
      code: 'ID_USCC_MISMATCH',
      severity: 'DECLINE',
    },
    {
      name: 'an enterprise listed as abnormal',
      overrides: { registry: answer({ ...registry, status: 'ABNORMAL' }) },
      code: 'ID_NOT_ACTIVE',
      severity: 'DECLINE',
    },
    {
      name: 'no registry record',
      overrides: { registry: { status: 'MISSING' } },
      code: 'ID_NOT_REGISTERED',
      severity: 'DECLINE',
    },
    {
      name: 'a registry outage',
      overrides: { registry: { status: 'FAILED', error: 'HTTP 503' } },
      code: 'ID_REGISTRY_UNAVAILABLE',
      severity: 'REFER',
    },
    {
      name: 'a dishonest judgment debtor',
      overrides: {
        litigation: answer({ casesAsDefendant: 1, amountAsDefendant: '1.00', dishonestJudgmentDebtor: true }),
      },
      code: 'BLACKLISTED',
      severity: 'DECLINE',
    },
  ])('$name', ({ overrides, code, severity }) => {
    it(`raises ${code} (${severity})`, () => {
      const result = verifyIdentity(applicant(), collected(overrides), AS_OF);
      expect(result.passed).toBe(false);
      expect(result.signals).toEqual([expect.objectContaining({ code, severity })]);
    });
  });

  it('raises ID_INVALID_USCC for a code with a wrong check character', () => {
    const result = verifyIdentity(applicant({ uscc: '91350102MA31K7Q231' }), collected(), AS_OF);
    expect(result.signals.map((signal) => signal.code)).toContain('ID_INVALID_USCC');
  });

  it.each([
    { declared: '福州闽江源商贸（集团）有限公司', registered: '福州闽江源商贸(集团)有限公司' },
    { declared: ' 福州闽江源商贸有限公司 ', registered: '福州闽江源商贸有限公司' },
  ])('matches "$declared" with "$registered"', ({ declared, registered }) => {
    const result = verifyIdentity(
      applicant({ enterpriseName: declared }),
      collected({ registry: answer({ ...registry, name: registered }) }),
      AS_OF,
    );
    expect(result.passed).toBe(true);
  });

  it('matches a minority-language name typed with a different dot', () => {
    const result = verifyIdentity(
      applicant({ legalRepresentative: { name: '买买提.艾力', birthDate: '1979-03-12' } }),
      collected({ registry: answer({ ...registry, legalRepresentativeName: '买买提·艾力' }) }),
      AS_OF,
    );
    expect(result.passed).toBe(true);
  });

  describe('REVENUE_MISMATCH: the largest 12-month total may be at most 1.5 times the smallest', () => {
    // Tax sales 6,000,000.00 and invoices 5,880,000.00 a year; only bank inflows vary.
    const withInflows = (monthly: string[]) =>
      collected({
        bankFlows: answer({
          monthlyInflow: flat('0.00', 12).map(({ month }, index) => ({
            month,
            amount: monthly[index] ?? '0.00',
          })),
          monthlyOutflow: [],
        }),
      });

    it('passes at exactly 1.5: 6,000,000.00 against 4,000,000.00', () => {
      // 11 × 333,333.33 + 333,333.37 = 4,000,000.00
      const inflows = [...Array<string>(11).fill('333333.33'), '333333.37'];
      expect(verifyIdentity(applicant(), withInflows(inflows), AS_OF).signals).toEqual([]);
    });

    it('declines one fen past it: 6,000,000.00 against 3,999,999.99', () => {
      const inflows = [...Array<string>(11).fill('333333.33'), '333333.36'];
      const [signal] = verifyIdentity(applicant(), withInflows(inflows), AS_OF).signals;
      expect(signal).toEqual({
        code: 'REVENUE_MISMATCH',
        severity: 'DECLINE',
        customerMessage: 'We could not verify the information provided.',
        detail:
          '12-month totals disagree beyond 1.5x: tax sales 6000000.00, invoices issued 5880000.00, bank inflows 3999999.99',
      });
    });

    it('declines when one source shows no turnover at all while the others do', () => {
      const signals = verifyIdentity(applicant(), withInflows([]), AS_OF).signals;
      expect(signals.map((signal) => signal.code)).toEqual(['REVENUE_MISMATCH']);
    });

    it('needs two sources to compare', () => {
      const data = collected({
        invoices: { status: 'MISSING' },
        bankFlows: { status: 'FAILED', error: 'timeout' },
      });
      expect(verifyIdentity(applicant(), data, AS_OF).signals).toEqual([]);
    });
  });

  it('gives customers no numbers and staff all of them', () => {
    const result = verifyIdentity(
      applicant({ enterpriseName: '另一家公司' }),
      collected({ registry: answer({ ...registry, status: 'REVOKED' }) }),
      AS_OF,
    );
    for (const signal of result.signals) expect(signal.customerMessage).not.toMatch(/\d|REVOKED|另一家/);
    expect(result.signals.map((signal) => signal.detail)).toEqual([
      'declared "另一家公司", registry "福州闽江源商贸有限公司"',
      'registry status REVOKED',
    ]);
  });
});
