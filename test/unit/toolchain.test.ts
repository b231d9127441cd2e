import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FUNCTION_RUNTIME } from '../../infra/constructs/app-function.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
};
/** `nodejs24.x` → 24 */
const lambdaMajor = Number(/^nodejs(\d+)\.x$/.exec(FUNCTION_RUNTIME.name)?.[1]);

describe('the toolchain', () => {
  it('runs every npm script on the Lambda runtime’s Node major, from the pinned node devDependency', () => {
    expect(lambdaMajor).toBeGreaterThanOrEqual(24);
    expect(Number(process.versions.node.split('.')[0])).toBe(lambdaMajor);
    expect(pkg.devDependencies.node?.split('.')[0]).toBe(String(lambdaMajor));
    expect(pkg.engines.node).toBe(`${lambdaMajor}.x`);
  });
});
