import type { CfnTemplate } from './synth.js';

export interface PolicyStatement {
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  Resource?: unknown;
  Principal?: unknown;
  Condition?: unknown;
}

const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

export const actionsOf = (statement: PolicyStatement): string[] => asArray(statement.Action);
export const resourcesOf = (statement: PolicyStatement): unknown[] => asArray(statement.Resource);

/**
 * Every policy statement anywhere in a template (identity policies, trust policies, key and
 * queue and topic policies), with the logical id of the resource that holds it.
 */
export function allStatements(template: CfnTemplate): { holder: string; statement: PolicyStatement }[] {
  const found: { holder: string; statement: PolicyStatement }[] = [];
  const visit = (holder: string, value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(holder, item);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    for (const [key, child] of Object.entries(value)) {
      if (key === 'Statement' && Array.isArray(child)) {
        for (const statement of child) found.push({ holder, statement: statement as PolicyStatement });
      } else {
        visit(holder, child);
      }
    }
  };
  for (const [id, resource] of Object.entries(template.Resources)) visit(id, resource.Properties);
  return found;
}

/** The statements of the identity policies attached to a role (AWS::IAM::Policy resources). */
export function roleStatements(template: CfnTemplate, roleId: string): PolicyStatement[] {
  return Object.values(template.Resources)
    .filter(
      (resource) =>
        resource.Type === 'AWS::IAM::Policy' &&
        asArray(resource.Properties.Roles as unknown[]).some(
          (role) => (role as { Ref?: string }).Ref === roleId,
        ),
    )
    .flatMap(
      (resource) => (resource.Properties.PolicyDocument as { Statement: PolicyStatement[] }).Statement,
    );
}
