/**
 * Process-wide settings of the local runtime. Imported first by runtime.ts: Powertools reads
 * these when its logger, metrics and tracer are constructed, which happens as modules load.
 */
const defaults: Record<string, string> = {
  // No CloudWatch locally: metrics would only print EMF lines to stdout.
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_TRACE_ENABLED: 'false',
  POWERTOOLS_LOG_LEVEL: 'WARN',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};
for (const [name, value] of Object.entries(defaults)) process.env[name] ??= value;
