/**
 * Seeded randomness for the train/holdout split and the generated training data. Training
 * must be reproducible to the bit (the same seed gives the same split, the same bins and the
 * same model on every machine), so nothing here touches `Math.random`.
 */

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/**
 * mulberry32 (Tommy Ettinger, public domain): a 32-bit generator with a 2^32 period, plenty
 * for splitting a data set or simulating a loan book, and identical on every JavaScript engine
 * because it uses only 32-bit integer arithmetic (`Math.imul`, `>>>`).
 */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * A standard normal draw by the Box–Muller transform (Box and Muller, 1958). One of the pair
 * is discarded: simpler than caching, and speed does not matter at these sizes.
 */
export function standardNormal(random: Random): number {
  // 1 - u lies in (0, 1], so the logarithm is finite.
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A Poisson draw by Knuth's multiplication method; fine for the small means used here (under 10). */
export function poisson(random: Random, mean: number): number {
  const limit = Math.exp(-mean);
  let count = 0;
  let product = random();
  while (product > limit) {
    count += 1;
    product *= random();
  }
  return count;
}

/** Picks an item with the given weights (they need not sum to 1). */
export function weightedPick<T>(random: Random, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((sum, [, weight]) => sum + weight, 0);
  let draw = random() * total;
  for (const [item, weight] of items) {
    draw -= weight;
    if (draw < 0) return item;
  }
  const last = items.at(-1);
  if (last === undefined) throw new RangeError('cannot pick from an empty list');
  return last[0];
}

/** A Fisher–Yates shuffle (Durstenfeld's in-place form) of a copy of `items`. */
export function shuffled<T>(random: Random, items: readonly T[]): T[] {
  const result = [...items];
  for (let i = result.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    const a = result[i] as T;
    result[i] = result[j] as T;
    result[j] = a;
  }
  return result;
}
