import { readFileSync } from 'node:fs';
import { type CfnResource as CdkCfnResource, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { buildApp, type FastLoanApp } from '../../../infra/app.js';

export interface CfnResource {
  Type: string;
  /** Always present here: synthApp fills in an empty object for resources without properties. */
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}
export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, { Value: unknown }>;
}

const cdkJson = JSON.parse(readFileSync(new URL('../../../cdk.json', import.meta.url), 'utf8')) as {
  context: Record<string, unknown>;
};

export interface SynthesizedApp extends FastLoanApp {
  templates: { data: CfnTemplate; service: CfnTemplate };
  /** Every template by stack name, for following cross-stack references. */
  byStackName: Record<string, CfnTemplate>;
}

/**
 * Builds and synthesizes the app as `cdk synth` does (with cdk.json's feature flags, which the
 * CLI would pass), except that esbuild is skipped: these tests look at templates, not bundles.
 * Synthesis also runs the cdk-nag plugin the app registers, so it throws on unacknowledged findings.
 */
export function synthApp(context: Record<string, unknown> = {}): SynthesizedApp {
  const built = buildApp({ ...cdkJson.context, 'aws:cdk:bundling-stacks': [], ...context });
  const assembly = built.app.synth();
  const template = (stack: Stack) => {
    const synthesized = assembly.getStackByName(stack.stackName).template as CfnTemplate;
    for (const resource of Object.values(synthesized.Resources)) resource.Properties ??= {};
    return synthesized;
  };
  const templates = { data: template(built.data), service: template(built.service) };
  return {
    ...built,
    templates,
    byStackName: { [built.data.stackName]: templates.data, [built.service.stackName]: templates.service },
  };
}

/** The CloudFormation logical id of a construct's resource. */
export const logicalIdOf = (construct: IConstruct): string =>
  Stack.of(construct).getLogicalId(construct.node.defaultChild as CdkCfnResource);

/** Stand-ins for pseudo parameters, shaped so rendered ARNs stay valid ARNs. */
export const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': 'us-east-1',
  'AWS::AccountId': '123456789012',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::NoValue': '',
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Renders a template value to a string: pseudo parameters become the stand-ins above, a
 * Lambda function's Arn a function ARN named by its logical id, other references
 * `{{LogicalId}}` or `{{LogicalId.Attribute}}`, and a cross-stack reference
 * (Fn::GetStackOutput / Fn::ImportValue) whatever the producing stack's output renders to.
 */
export function render(value: unknown, app: SynthesizedApp, stackName: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (!isObject(value)) throw new Error(`cannot render ${JSON.stringify(value)}`);
  const template = app.byStackName[stackName];
  if (!template) throw new Error(`no template for stack ${stackName}`);
  if ('Ref' in value && typeof value.Ref === 'string') {
    return PSEUDO[value.Ref] ?? `{{${value.Ref}}}`;
  }
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt)) {
    const [id, attribute] = getAtt as [string, string];
    if (template.Resources[id]?.Type === 'AWS::Lambda::Function' && attribute === 'Arn') {
      return `arn:aws:lambda:${PSEUDO['AWS::Region']}:${PSEUDO['AWS::AccountId']}:function:${id}`;
    }
    return `{{${id}.${attribute}}}`;
  }
  const join = value['Fn::Join'];
  if (Array.isArray(join)) {
    const [separator, parts] = join as [string, unknown[]];
    return parts.map((part) => render(part, app, stackName)).join(separator);
  }
  const stackOutput = value['Fn::GetStackOutput'];
  if (isObject(stackOutput)) {
    const producer = String(stackOutput.StackName);
    const output = app.byStackName[producer]?.Outputs?.[String(stackOutput.OutputName)];
    if (!output) throw new Error(`no output ${String(stackOutput.OutputName)} in ${producer}`);
    return render(output.Value, app, producer);
  }
  const importValue = value['Fn::ImportValue'];
  if (typeof importValue === 'string') {
    for (const [producer, produced] of Object.entries(app.byStackName)) {
      for (const output of Object.values(produced.Outputs ?? {})) {
        const exported = (output as { Export?: { Name?: unknown } }).Export?.Name;
        if (exported === importValue) return render(output.Value, app, producer);
      }
    }
  }
  throw new Error(`cannot render ${JSON.stringify(value)}`);
}

/** The logical id and type a rendered `{{Id}}`, `{{Id.Attribute}}` or function ARN refers to. */
export function referencedResource(
  rendered: string,
  app: SynthesizedApp,
): { id: string; attribute?: string; type: string; suffix: string } | undefined {
  const match =
    /^\{\{(\w+)(?:\.(\w+))?\}\}(.*)$/.exec(rendered) ??
    /^arn:aws:lambda:[^:]+:\d+:function:(\w+)()(.*)$/.exec(rendered);
  if (!match) return undefined;
  const [, id = '', attribute, suffix = ''] = match;
  const owners = Object.values(app.byStackName).filter((template) => template.Resources[id]);
  if (owners.length !== 1) return undefined;
  const type = owners[0]?.Resources[id]?.Type ?? '';
  return { id, attribute: attribute || (rendered.startsWith('arn:') ? 'Arn' : undefined), type, suffix };
}

/** Every resource of a type, as [logical id, resource]. */
export function resourcesOfType(template: CfnTemplate, type: string): [string, CfnResource][] {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}
