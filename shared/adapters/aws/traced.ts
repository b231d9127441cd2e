import { tracer } from '../../lambda/observability.js';

/**
 * Every AWS client the adapters build goes through the tracer, so each call shows as a
 * subsegment of the function's X-Ray trace. Outside Lambda (the local runtime, the tests) the
 * tracer is off and hands the client back unchanged.
 */
export const traced = <T>(client: T): T => tracer.captureAWSv3Client(client);
