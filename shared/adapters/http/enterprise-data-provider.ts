import {
  ConsecutiveBreaker,
  circuitBreaker,
  ExponentialBackoff,
  handleWhen,
  type IPolicy,
  retry,
  TimeoutStrategy,
  timeout,
  wrap,
} from 'cockatiel';
import * as z from 'zod';
import { SOURCE_NAMES, type SourceName, type SourceRecords } from '../../domain/decisioning/types.js';
import type { EnterpriseDataProvider } from '../../ports/enterprise-data.js';
import { SOURCE_SCHEMAS } from './source-schemas.js';

export interface HttpSourceConfig {
  /** The vendor's endpoint for one enterprise, with `{uscc}` where the code goes. */
  urlTemplate: string;
  /** Sent as a bearer token. */
  apiKey?: string;
  /** One attempt's limit; the collect stage bounds the whole call as well. */
  attemptTimeoutMs?: number;
  /** Retries after the first attempt, for transient failures only (network, 429, 5xx, timeouts). */
  retries?: number;
  /** Consecutive failures that open the circuit, and how long it stays open. */
  breakAfter?: number;
  halfOpenAfterMs?: number;
}

/**
 * cockatiel's per-attempt timeout. Checked by its marker property: the package ships ESM and
 * CommonJS builds, and its own isTaskCancelledError() says false for the other build's class.
 */
function timedOut(error: Error): boolean {
  return (error as { isTaskCancelledError?: boolean }).isTaskCancelledError === true;
}

/** Worth trying again: the network, a timeout, 429 or a 5xx. */
export class TransientSourceError extends Error {
  override name = 'TransientSourceError';
}

/** Not worth trying again: the vendor refused the request or answered something we cannot use. */
export class SourceError extends Error {
  override name = 'SourceError';
}

/**
 * One HTTP adapter per data vendor: GET the enterprise's record, validate it, and wrap the
 * call in a resilience policy (cockatiel): a per-attempt timeout, retries with exponential
 * backoff for transient failures, and a circuit breaker so a vendor that is down fails fast
 * instead of making every application wait for its timeouts. 404 means "no record".
 */
export class HttpEnterpriseDataProvider implements EnterpriseDataProvider {
  private readonly policies = new Map<SourceName, IPolicy>();

  constructor(
    private readonly sources: Record<SourceName, HttpSourceConfig>,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    for (const source of SOURCE_NAMES) {
      const config = sources[source];
      this.policies.set(
        source,
        wrap(
          circuitBreaker(
            handleWhen((error) => !(error instanceof SourceError)),
            {
              halfOpenAfter: config.halfOpenAfterMs ?? 30_000,
              breaker: new ConsecutiveBreaker(config.breakAfter ?? 5),
            },
          ),
          retry(
            handleWhen((error) => error instanceof TransientSourceError || timedOut(error)),
            {
              maxAttempts: config.retries ?? 2,
              backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 1_000 }),
            },
          ),
          timeout(config.attemptTimeoutMs ?? 1_500, TimeoutStrategy.Aggressive),
        ),
      );
    }
  }

  /**
   * Reads the vendors from the environment: for each source, SOURCE_<NAME>_URL (with
   * `{uscc}`) and optionally SOURCE_<NAME>_API_KEY, e.g. SOURCE_BANKFLOWS_URL.
   */
  static fromEnvironment(env: NodeJS.ProcessEnv = process.env): HttpEnterpriseDataProvider {
    const config = Object.fromEntries(
      SOURCE_NAMES.map((source) => {
        const prefix = `SOURCE_${source.toUpperCase()}`;
        const urlTemplate = z
          .url({ protocol: /^https$/ })
          .refine((url) => url.includes('{uscc}'), 'must contain {uscc}')
          .safeParse(env[`${prefix}_URL`]);
        if (!urlTemplate.success) throw new Error(`${prefix}_URL must be an https URL containing {uscc}`);
        return [source, { urlTemplate: urlTemplate.data, apiKey: env[`${prefix}_API_KEY`] }];
      }),
    ) as Record<SourceName, HttpSourceConfig>;
    return new HttpEnterpriseDataProvider(config);
  }

  fetch<S extends SourceName>(
    source: S,
    uscc: string,
    signal: AbortSignal,
  ): Promise<SourceRecords[S] | null> {
    const policy = this.policies.get(source) as IPolicy;
    return policy.execute(
      ({ signal: attemptSignal }) => this.attempt(source, uscc, AbortSignal.any([signal, attemptSignal])),
      signal,
    );
  }

  private async attempt<S extends SourceName>(
    source: S,
    uscc: string,
    signal: AbortSignal,
  ): Promise<SourceRecords[S] | null> {
    const config = this.sources[source];
    let response: Response;
    try {
      response = await this.fetchImpl(config.urlTemplate.replace('{uscc}', encodeURIComponent(uscc)), {
        headers: {
          accept: 'application/json',
          ...(config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {}),
        },
        signal,
      });
    } catch (error) {
      if (signal.aborted) throw error;
      throw new TransientSourceError(
        `${source}: ${error instanceof Error ? error.message : 'network error'}`,
        { cause: error },
      );
    }
    if (response.status === 404) return null;
    if (response.status === 429 || response.status >= 500)
      throw new TransientSourceError(`${source}: vendor answered ${response.status}`);
    if (!response.ok) throw new SourceError(`${source}: vendor answered ${response.status}`);
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      throw new SourceError(`${source}: the answer is not JSON`);
    }
    const parsed = SOURCE_SCHEMAS[source].safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new SourceError(
        `${source}: malformed answer at ${issue?.path.join('.') || 'body'}: ${issue?.message}`,
      );
    }
    return parsed.data as SourceRecords[S];
  }
}
