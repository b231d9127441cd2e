export { CrashError, FAULT_KINDS, FAULT_PROFILES, type FaultKind } from './faults.js';
export { LAMBDA_TIMEOUT_MS } from './ports.js';
export { type RunOptions, type RunSummary, report, runSeed, runSeeds, type SeedResult } from './simulate.js';
export { type SimDeps, shapeOf } from './world.js';
