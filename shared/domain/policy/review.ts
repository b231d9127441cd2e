/**
 * How referred cases are decided by people. Four-eyes (maker-checker) control on large
 * credit approvals is standard practice and required by the bank's credit authorisation
 * rules: above this limit one officer proposes, and a different person with the approver
 * role confirms.
 */
export const REVIEW_POLICY = {
  version: 'review-2026.11',
  dualControlAbove: '1000000.00',
} as const;
