import { describe, expect, it } from 'vitest';
import { DECISION_POLICY, decide } from '../../../shared/domain/decisioning/decision.js';
import type {
  IdentityResult,
  Pricing,
  Reason,
  ScoreResult,
  ScreeningResult,
  Signal,
} from '../../../shared/domain/decisioning/types.js';

const scoreReason: Reason = {
  code: 'SCORE_REVENUE_SIZE',
  customerMessage: 'Your verified annual sales are limited.',
  detail: 'x',
};

function signal(code: string, severity: Signal['severity']): Signal {
  return { code, severity, customerMessage: 'message', detail: `detail of ${code}` };
}

function input({
  identity = [],
  screening = [],
  points = 640,
  limit = '1800000.00',
}: {
  identity?: Signal[];
  screening?: Signal[];
  points?: number;
  limit?: string;
} = {}) {
  const identityResult: IdentityResult = {
    policyVersion: 'identity-2026.11',
    passed: identity.length === 0,
    signals: identity,
  };
  const screeningResult: ScreeningResult = {
    policyVersion: 'access-2026.11',
    passed: screening.length === 0,
    failedRules: screening,
  };
  const score: ScoreResult = {
    modelVersion: 'scorecard-0.1',
    score: points,
    probabilityOfDefault: '0.0050',
    reasons: [scoreReason],
  };
  const pricing: Pricing = {
    policyVersion: 'pricing-2026.11',
    lprVersion: 'lpr-2026-10',
    annualRate: '0.0477',
    limit,
    termMonths: 12,
  };
  return {
    identity: identityResult,
    featuresVersion: 'features-1',
    screening: screeningResult,
    score,
    pricing,
  };
}

describe('decide', () => {
  describe.each([
    {
      name: 'a DECLINE identity signal',
      given: input({ identity: [signal('BLACKLISTED', 'DECLINE')] }),
      outcome: 'DECLINE',
      codes: ['BLACKLISTED'],
    },
    {
      name: 'a DECLINE screening rule',
      given: input({ screening: [signal('TAX_GRADE', 'DECLINE')] }),
      outcome: 'DECLINE',
      codes: ['TAX_GRADE'],
    },
    {
      name: 'a DECLINE next to a REFER',
      given: input({
        identity: [signal('ID_REGISTRY_UNAVAILABLE', 'REFER')],
        screening: [signal('LITIGATION', 'DECLINE')],
      }),
      outcome: 'DECLINE',
      codes: ['LITIGATION'],
    },
    {
      name: 'a REFER screening rule',
      given: input({ screening: [signal('YOUNG_COMPANY', 'REFER')] }),
      outcome: 'REFER',
      codes: ['YOUNG_COMPANY'],
    },
    {
      name: 'an INFO signal only',
      given: input({ identity: [signal('NOTE', 'INFO')] }),
      outcome: 'APPROVE',
      codes: [],
    },
    {
      name: 'score 600, limit 10,000.00',
      given: input({ points: 600, limit: '10000.00' }),
      outcome: 'APPROVE',
      codes: [],
    },
    {
      name: 'score 600, limit 9,000.00',
      given: input({ points: 600, limit: '9000.00' }),
      outcome: 'DECLINE',
      codes: ['LIMIT_BELOW_MINIMUM'],
    },
    {
      name: 'score 599',
      given: input({ points: 599 }),
      outcome: 'REFER',
      codes: ['SCORE_REVIEW', 'SCORE_REVENUE_SIZE'],
    },
    {
      name: 'score 560',
      given: input({ points: 560 }),
      outcome: 'REFER',
      codes: ['SCORE_REVIEW', 'SCORE_REVENUE_SIZE'],
    },
    {
      name: 'score 559',
      given: input({ points: 559 }),
      outcome: 'DECLINE',
      codes: ['SCORE_TOO_LOW', 'SCORE_REVENUE_SIZE'],
    },
  ])('$name', ({ given, outcome, codes }) => {
    it(`is ${outcome} with ${codes.join(', ') || 'no reasons'}`, () => {
      const decision = decide(given);
      expect(decision.outcome).toBe(outcome);
      expect(decision.reasons.map((reason) => reason.code)).toEqual(codes);
      expect(decision.versions).toEqual({
        identityPolicy: 'identity-2026.11',
        accessPolicy: 'access-2026.11',
        features: 'features-1',
        model: 'scorecard-0.1',
        lpr: 'lpr-2026-10',
        pricingPolicy: 'pricing-2026.11',
        decisionPolicy: 'decision-2026.11.2',
      });
    });
  });

  it('carries the offer on APPROVE and REFER, never on DECLINE', () => {
    const offer = { limit: '1800000.00', annualRate: '0.0477', termMonths: 12 };
    expect(decide(input())).toMatchObject({ outcome: 'APPROVE', ...offer });
    expect(decide(input({ points: 580 }))).toMatchObject({ outcome: 'REFER', ...offer });
    const declined = decide(input({ points: 500 }));
    expect(declined).not.toHaveProperty('limit');
    expect(declined).not.toHaveProperty('annualRate');
    expect(declined).not.toHaveProperty('termMonths');
  });

  it('strips the severity from signals it turns into reasons', () => {
    const [reason] = decide(input({ screening: [signal('TAX_GRADE', 'DECLINE')] })).reasons;
    expect(reason).toEqual({ code: 'TAX_GRADE', customerMessage: 'message', detail: 'detail of TAX_GRADE' });
  });

  it('explains a score referral with the band', () => {
    const [reason] = decide(input({ points: 590 })).reasons;
    expect(reason?.detail).toBe('score 590 in the review band [560, 600)');
  });

  it('applies the thresholds of the policy passed in', () => {
    const policy = {
      ...DECISION_POLICY,
      version: 'decision-test',
      approveThreshold: 650,
      referThreshold: 600,
    };
    expect(decide({ ...input({ points: 640 }), policy })).toMatchObject({
      outcome: 'REFER',
      versions: { decisionPolicy: 'decision-test' },
    });
  });
});
