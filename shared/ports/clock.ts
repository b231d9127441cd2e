/** Where time comes from. Business code never calls `new Date()` or `Date.now()` itself. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
