import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/** The project root: handler modules in the route table and stage list are relative to it. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The newest Node.js runtime this aws-cdk-lib offers (cdk-nag's L1 asks for it). The bundle
 * targets node22, which the runtime runs unchanged.
 */
export const FUNCTION_RUNTIME = Runtime.NODEJS_24_X;

/**
 * How every function is bundled, in esbuild's terms: the CDK construct below passes these, and
 * `npm run bench` (test/bench/bundles.ts) builds the same bundles with them to measure and
 * explain what each one contains.
 */
export const BUNDLING = {
  format: 'esm',
  target: 'node22',
  minify: true,
  mainFields: ['module', 'main'],
  // Bundled ESM has no `require`; some CommonJS dependencies (Powertools tracer's use of
  // "util") call it at run time, so the bundle gets one from createRequire.
  banner:
    "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  // The X-Ray SDK's patcher for AWS SDK v2 is the one user of semver; v2 is never captured.
  alias: { semver: join(PROJECT_ROOT, 'infra/bundling/semver-unused.cjs') },
  /**
   * What the Lambda runtime provides and the bundles leave out unless the deploy context says
   * `bundleAwsSdk=true`: the AWS SDK for JavaScript v3 (ADR 0007), as CDK does by default for
   * Node.js 18 and later.
   */
  runtimeModules: ['@aws-sdk/*'],
} as const;

/** `readWriteDelete` is for the one use of DeleteItem: freeing a blacklist key on removal. */
export type TableAccess = 'read' | 'readWrite' | 'readWriteDelete';

const READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
];
const WRITE_ACTIONS = [...READ_ACTIONS, 'dynamodb:PutItem', 'dynamodb:UpdateItem'];
const TABLE_ACTIONS: Record<TableAccess, string[]> = {
  read: READ_ACTIONS,
  readWrite: WRITE_ACTIONS,
  readWriteDelete: [...WRITE_ACTIONS, 'dynamodb:DeleteItem'],
};

export interface AppFunctionProps {
  /** The handler module, relative to the project root, as the route table and stage list name it. */
  entry: string;
  description: string;
  timeout: Duration;
  logRetention: RetentionDays;
  removalPolicy: RemovalPolicy;
  environment?: Record<string, string>;
  /** Powertools' log level for the function; INFO unless the deploy context says otherwise. */
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** Bundle the lockfile's AWS SDK instead of using the runtime's (ADR 0007); false unless the deploy context says so. */
  bundleAwsSdk?: boolean;
}

/**
 * Every Lambda of the platform: Node.js on arm64, X-Ray tracing, its own log group with a
 * retention, source-mapped stack traces, the runtime's AWS SDK (or the pinned one, bundled in),
 * and a role that may write to its log group and nothing else until something is granted.
 */
export class AppFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    // An own role instead of the AWSLambdaBasicExecutionRole managed policy, which may create
    // and write any log group in the account.
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: props.description,
    });
    super(scope, id, {
      entry: join(PROJECT_ROOT, props.entry),
      handler: 'handler',
      description: props.description,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      runtime: FUNCTION_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      timeout: props.timeout,
      tracing: Tracing.ACTIVE,
      logGroup,
      role,
      environment: {
        POWERTOOLS_SERVICE_NAME: 'fast-loan',
        POWERTOOLS_LOG_LEVEL: props.logLevel ?? 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: BUNDLING.target,
        minify: BUNDLING.minify,
        sourceMap: true,
        sourcesContent: false,
        mainFields: [...BUNDLING.mainFields],
        banner: BUNDLING.banner,
        externalModules: props.bundleAwsSdk ? [] : [...BUNDLING.runtimeModules],
        esbuildArgs: Object.fromEntries(
          Object.entries(BUNDLING.alias).map(([name, path]) => [`--alias:${name}`, path]),
        ),
      },
    });
    this.entry = props.entry;
    logGroup.grantWrite(role);
  }

  /** The handler module, relative to the project root. */
  readonly entry: string;

  /**
   * Grants the function exactly the item operations the code uses on the table and its
   * indexes (no Scan, no BatchWriteItem, DeleteItem only when asked), the key to read or
   * write them, and tells it the table's name.
   */
  bindTable(table: ITable, access: TableAccess): this {
    table.grant(this, ...TABLE_ACTIONS[access]);
    if (access === 'read') table.encryptionKey?.grantDecrypt(this);
    else table.encryptionKey?.grantEncryptDecrypt(this);
    this.addEnvironment('TABLE_NAME', table.tableName);
    return this;
  }
}
