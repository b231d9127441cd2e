// Stands in for `semver` in the Lambda bundles (infra/constructs/app-function.ts). The X-Ray
// SDK requires it only to check the version of an AWS SDK v2 it is asked to capture; this
// project captures v3 clients only, so any use is a bug that should fail loudly.
const unused = () => {
  throw new Error('semver is not bundled: the X-Ray SDK was asked to capture an AWS SDK v2 client');
};
module.exports = { gte: unused, satisfies: unused, valid: unused, coerce: unused };
