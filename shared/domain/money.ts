import { ValidationError } from './errors.js';

/**
 * Exact money: an integer count of minor units (fen for CNY) in a bigint, never a binary
 * float. Amounts cross the API and the table as decimal strings with exactly two decimals
 * ("500000.00"), which is the only rounding boundary: anything finer is rounded explicitly
 * by the caller with a named mode.
 */
export type Currency = 'CNY';
export const CURRENCIES: readonly Currency[] = ['CNY'];
const MINOR_DIGITS = 2;
const SCALE = 100n;

export interface MoneyJson {
  amount: string;
  currency: Currency;
}

export class Money {
  private constructor(
    readonly minor: bigint,
    readonly currency: Currency,
  ) {}

  static ofMinor(minor: bigint, currency: Currency = 'CNY'): Money {
    return new Money(minor, currency);
  }

  static zero(currency: Currency = 'CNY'): Money {
    return new Money(0n, currency);
  }

  /** Parses "1234.5", "1234.50" or "1234"; refuses more than two decimals, signs other than '-', exponents. */
  static parse(amount: string, currency: Currency = 'CNY', field = 'amount'): Money {
    const match = /^(-?)(\d{1,15})(?:\.(\d{1,2}))?$/.exec(amount);
    if (!match) {
      throw new ValidationError(
        `${field} must be a decimal string with at most ${MINOR_DIGITS} decimals, e.g. "500000.00"`,
        field,
      );
    }
    const [, sign, whole = '0', fraction = ''] = match;
    const minor = BigInt(whole) * SCALE + BigInt(fraction.padEnd(MINOR_DIGITS, '0'));
    return new Money(sign === '-' ? -minor : minor, currency);
  }

  static fromJson(json: MoneyJson, field = 'amount'): Money {
    return Money.parse(json.amount, json.currency, field);
  }

  /** Whole currency units, e.g. Money.ofMajor(500_000) = 500000.00 CNY. */
  static ofMajor(major: number | bigint, currency: Currency = 'CNY'): Money {
    return new Money(BigInt(major) * SCALE, currency);
  }

  add(other: Money): Money {
    this.assertSameCurrency(other);
    return new Money(this.minor + other.minor, this.currency);
  }

  subtract(other: Money): Money {
    this.assertSameCurrency(other);
    return new Money(this.minor - other.minor, this.currency);
  }

  /** Multiplies by an exact ratio numerator/denominator, rounding half-up (away from zero) to the fen. */
  multiplyRatio(numerator: bigint, denominator: bigint): Money {
    return new Money(divideRoundHalfUp(this.minor * numerator, denominator), this.currency);
  }

  /** Rounds down to a multiple of `step` (a limit step such as 1,000.00 CNY). */
  floorTo(step: Money): Money {
    this.assertSameCurrency(step);
    if (step.minor <= 0n) throw new RangeError('step must be positive');
    const floored = this.minor - (((this.minor % step.minor) + step.minor) % step.minor);
    return new Money(floored, this.currency);
  }

  compare(other: Money): -1 | 0 | 1 {
    this.assertSameCurrency(other);
    return this.minor < other.minor ? -1 : this.minor > other.minor ? 1 : 0;
  }

  isNegative(): boolean {
    return this.minor < 0n;
  }

  isZero(): boolean {
    return this.minor === 0n;
  }

  static min(first: Money, ...rest: Money[]): Money {
    return rest.reduce((low, m) => (m.compare(low) < 0 ? m : low), first);
  }

  static max(first: Money, ...rest: Money[]): Money {
    return rest.reduce((high, m) => (m.compare(high) > 0 ? m : high), first);
  }

  toString(): string {
    const negative = this.minor < 0n;
    const abs = negative ? -this.minor : this.minor;
    const whole = abs / SCALE;
    const fraction = (abs % SCALE).toString().padStart(MINOR_DIGITS, '0');
    return `${negative ? '-' : ''}${whole}.${fraction}`;
  }

  toJSON(): MoneyJson {
    return { amount: this.toString(), currency: this.currency };
  }

  private assertSameCurrency(other: Money): void {
    if (other.currency !== this.currency) {
      throw new ValidationError(`currency mismatch: ${this.currency} and ${other.currency}`);
    }
  }
}

/** Integer division rounding half away from zero; the one rounding rule used for money. */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const quotient = (n * 2n + d) / (2n * d);
  return negative ? -quotient : quotient;
}
