import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, startTestRuntime } from '../support/local-api.js';

const dataDir = mkdtempSync(join(tmpdir(), 'fast-loan-restart-'));
const tableName = `restart-${Math.random().toString(36).slice(2, 10)}`;

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('restarting the local runtime', () => {
  it('resumes waiting workflows: an offer made before the restart can be accepted after it, a review decided', async () => {
    const first = await startTestRuntime({ tableName, dataDir });
    const port = Number(new URL(first.runtime.url).port);
    const healthy = fixture('healthy');
    const borderline = fixture('borderline');
    const healthyToken = await first.token('enterprise', healthy.uscc);
    const borderlineToken = await first.token('enterprise', borderline.uscc);
    const offered = (await first.apply(healthy, healthyToken)).body.applicationId;
    const referred = (await first.apply(borderline, borderlineToken)).body.applicationId;
    await first.waitFor(offered, healthyToken, first.status('OFFERED'));
    await first.waitFor(referred, borderlineToken, first.status('IN_REVIEW'));
    // Stop only once both executions hold their callback tokens: a status is written a moment
    // before the wait's token, and a stop in between makes the restart re-run that stage.
    const end = Date.now() + 10_000;
    while (first.runtime.workflow.waitingStates().length < 2 && Date.now() < end)
      await new Promise((r) => setTimeout(r, 25));
    expect(first.runtime.workflow.waitingStates().sort()).toEqual(['MakeOffer', 'RequestReview']);
    await first.runtime.stop();

    // Same data, same port (the tokens' issuer), same signing key: as after Ctrl-C and npm start.
    const second = await startTestRuntime({ tableName, dataDir, port });
    try {
      expect(
        (await second.call('POST', `/v1/applications/${offered}/offer/accept`, { token: healthyToken }))
          .status,
      ).toBe(200);
      await second.waitFor(offered, healthyToken, second.status('AWAITING_SIGNATURE'));
      await second.call('POST', `/v1/applications/${offered}/contract/sign`, { token: healthyToken });
      await second.waitFor(offered, healthyToken, second.status('DISBURSED'));

      const decided = await second.call('POST', `/v1/reviews/${referred}/decision`, {
        token: await second.token('officer'),
        body: {
          outcome: 'APPROVE',
          limit: { amount: '100000.00', currency: 'CNY' },
          comment: 'after the restart',
        },
      });
      expect(decided.status).toBe(200);
      await second.waitFor(referred, borderlineToken, second.status('OFFERED'));
    } finally {
      await second.runtime.stop();
    }
  });
});
