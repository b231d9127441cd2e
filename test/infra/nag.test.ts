import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type PolicyValidationPluginReport, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/constructs/app-function.js';
import { type SynthesizedApp, synthApp } from './support/synth.js';

let app: SynthesizedApp;
let report: PolicyValidationPluginReport;

beforeAll(() => {
  // Synthesis runs the AwsSolutions plugin the app registers and throws on any unacknowledged
  // finding; checking the synthesized tree again below names the findings if that changes.
  app = synthApp();
  report = new AwsSolutionsChecks().validateScope(app.app);
});

const findings = (severity: string) =>
  report.violations
    .filter((violation) => violation.severity === severity)
    .flatMap((violation) =>
      violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`),
    );

/** Every acknowledgment in the app: the construct it is on, the finding id and the reason. */
function acknowledgments(): { path: string; id: string; reason: string }[] {
  return app.app.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );

describe('cdk-nag AwsSolutions', () => {
  it('reports no unacknowledged error in either stack', () => {
    expect(findings('error')).toEqual([]);
  });

  it('reports no unacknowledged warning either', () => {
    expect(findings('warning')).toEqual([]);
  });

  it('gives every acknowledgment a finding id and a written reason', () => {
    const acknowledged = acknowledgments();
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const { path, id, reason } of acknowledged) {
      expect(id, path).toMatch(/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      expect(reason.length, `${path} ${id}`).toBeGreaterThanOrEqual(60);
    }
  });

  it('acknowledges findings in infra/nag-suppressions.ts only', () => {
    const infra = join(PROJECT_ROOT, 'infra');
    const acknowledging = sourceFiles(infra)
      .filter((file) => readFileSync(file, 'utf8').includes('.acknowledge('))
      .map((file) => relative(PROJECT_ROOT, file));
    expect(acknowledging).toEqual(['infra/nag-suppressions.ts']);
  });
});
