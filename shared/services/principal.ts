/** The authenticated caller, as the authorizer vouched for it. */
export type Role = 'enterprise' | 'officer' | 'approver' | 'partner' | 'admin';
export const ROLES: readonly Role[] = ['enterprise', 'officer', 'approver', 'partner', 'admin'];
export const STAFF_ROLES: readonly Role[] = ['officer', 'approver', 'admin'];

export interface Principal {
  subject: string;
  role: Role;
  /** The enterprise a user of role `enterprise` acts for. */
  uscc?: string;
}

export function isStaff(principal: Principal): boolean {
  return STAFF_ROLES.includes(principal.role);
}
