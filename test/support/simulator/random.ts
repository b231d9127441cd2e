import { mulberry32 } from '../../../shared/domain/scorecard/random.js';

/** FNV-1a over a string: 32-bit, to derive independent streams from one seed. */
export function fnv1a(text: string, hash = 0x811c9dc5): number {
  let h = hash >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * The simulator's only source of randomness: mulberry32 (the project's generator) behind a few
 * helpers. Each concern draws from its own stream (`Rng.of(seed, 'faults')`), so adding a draw to
 * one (say, a new fault) does not shift every other decision of the seed.
 */
export class Rng {
  readonly #next: () => number;

  private constructor(seed: number) {
    this.#next = mulberry32(seed);
  }

  static of(seed: number, stream: string): Rng {
    return new Rng(fnv1a(`${seed}:${stream}`));
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.#next();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.#next() * n);
  }

  /** Uniform integer in [low, high]. */
  between(low: number, high: number): number {
    return low + this.int(high - low + 1);
  }

  chance(p: number): boolean {
    return p > 0 && this.#next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)] as T;
  }

  /** A key of `weights` with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as [K, number][];
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let x = this.#next() * total;
    for (const [key, w] of entries) {
      x -= w;
      if (x < 0) return key;
    }
    return (entries.at(-1) as [K, number])[0];
  }

  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }
}
