/**
 * Process-wide settings of the local runtime. Imported first by runtime.ts: Powertools reads
 * these when its logger, metrics and tracer are constructed, which happens as modules load.
 */
const defaults: Record<string, string> = {
  // No CloudWatch locally: metrics would only print EMF lines to stdout.
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_TRACE_ENABLED: 'false',
  // LOG_LEVEL is the local runtime's documented setting (README). Powertools fixes a logger's
  // level when it builds it and restores that level on every invocation, so the level must be
  // in its environment before the logger exists; setting it later lasts one request.
  POWERTOOLS_LOG_LEVEL: process.env.LOG_LEVEL?.toUpperCase() || 'WARN',
};
for (const [name, value] of Object.entries(defaults)) process.env[name] ??= value;
