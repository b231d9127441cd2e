/** The authenticated caller, as the authorizer vouched for it. */
export type Role = 'enterprise' | 'officer' | 'approver' | 'partner' | 'admin' | 'auditor';
export const ROLES: readonly Role[] = ['enterprise', 'officer', 'approver', 'partner', 'admin', 'auditor'];
/** The bank's staff who act on applications, loans and the blacklist. */
export const STAFF_ROLES: readonly Role[] = ['officer', 'approver', 'admin'];
/**
 * Who reads the audit trail: read-only, and nothing else (not a staff role: an auditor sees no
 * application, loan or list, only what staff did to them).
 */
export const AUDIT_ROLES: readonly Role[] = ['auditor'];

export interface Principal {
  subject: string;
  role: Role;
  /** The enterprise a user of role `enterprise` acts for. */
  uscc?: string;
}

export function isStaff(principal: Principal): boolean {
  return STAFF_ROLES.includes(principal.role);
}
