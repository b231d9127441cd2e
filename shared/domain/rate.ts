import { ValidationError } from './errors.js';

/**
 * An annual interest rate held exactly in basis points (1 bp = 0.01%). Pricing works in whole
 * basis points, which is how Chinese loan contracts quote spreads over the LPR; the API shows
 * the rate as a decimal fraction string ("0.0585" = 5.85%).
 */
export class AnnualRate {
  private constructor(readonly basisPoints: number) {}

  static ofBasisPoints(bp: number): AnnualRate {
    if (!Number.isSafeInteger(bp) || bp < 0)
      throw new ValidationError(`rate must be a whole, non-negative number of basis points, got ${bp}`);
    return new AnnualRate(bp);
  }

  /** Parses "0.0585" (a fraction with at most four decimals, i.e. whole basis points). */
  static parse(fraction: string, field = 'annualRate'): AnnualRate {
    const match = /^0?\.(\d{1,4})$|^(0|1)(?:\.(\d{1,4}))?$/.exec(fraction);
    if (!match)
      throw new ValidationError(`${field} must be a fraction with at most 4 decimals, e.g. "0.0585"`, field);
    const whole = match[2] ?? '0';
    const decimals = (match[1] ?? match[3] ?? '').padEnd(4, '0');
    return new AnnualRate(Number(whole) * 10_000 + Number(decimals));
  }

  add(other: AnnualRate): AnnualRate {
    return new AnnualRate(this.basisPoints + other.basisPoints);
  }

  toString(): string {
    const whole = Math.floor(this.basisPoints / 10_000);
    return `${whole}.${String(this.basisPoints % 10_000).padStart(4, '0')}`;
  }

  toJSON(): string {
    return this.toString();
  }
}
