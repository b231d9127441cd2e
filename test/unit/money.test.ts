import { describe, expect, it } from 'vitest';
import { divideRoundHalfUp, Money } from '../../shared/domain/money.js';
import { AnnualRate } from '../../shared/domain/rate.js';

describe('Money', () => {
  it.each([
    ['500000', '500000.00'],
    ['500000.5', '500000.50'],
    ['0.01', '0.01'],
    ['-12.30', '-12.30'],
  ])('parses %s as %s', (input, shown) => {
    expect(Money.parse(input).toString()).toBe(shown);
  });

  it.each(['1.005', '1e5', '+5', ' 5', '5.', '.5', '', 'abc', '1234567890123456'])(
    'refuses %j, naming the field',
    (input) => {
      expect(() => Money.parse(input, 'CNY', 'requestedAmount.amount')).toThrow(/requestedAmount\.amount/);
    },
  );

  it('adds and subtracts exactly where binary floats do not', () => {
    const sum = Money.parse('0.10').add(Money.parse('0.20'));
    expect(sum.toString()).toBe('0.30');
    expect(Money.parse('1789000.00').subtract(Money.parse('1789000.00')).isZero()).toBe(true);
  });

  it('rounds ratios half away from zero, to the fen', () => {
    // 100.00 × 1/3 = 33.333… -> 33.33; 0.05 × 1/2 = 0.025 -> 0.03; -0.05 × 1/2 -> -0.03
    expect(Money.parse('100.00').multiplyRatio(1n, 3n).toString()).toBe('33.33');
    expect(Money.parse('0.05').multiplyRatio(1n, 2n).toString()).toBe('0.03');
    expect(Money.parse('-0.05').multiplyRatio(1n, 2n).toString()).toBe('-0.03');
    expect(divideRoundHalfUp(5n, 2n)).toBe(3n);
    expect(divideRoundHalfUp(-5n, 2n)).toBe(-3n);
  });

  it('floors to a limit step', () => {
    expect(Money.parse('1789543.21').floorTo(Money.ofMajor(1000)).toString()).toBe('1789000.00');
    expect(Money.parse('999.99').floorTo(Money.ofMajor(1000)).toString()).toBe('0.00');
  });

  it('compares and picks minimum and maximum', () => {
    const [a, b, c] = ['3.00', '1.00', '2.00'].map((v) => Money.parse(v)) as [Money, Money, Money];
    expect(Money.min(a, b, c).toString()).toBe('1.00');
    expect(Money.max(a, b, c).toString()).toBe('3.00');
    expect(a.compare(b)).toBe(1);
  });

  it('serialises as the API shows money', () => {
    expect(JSON.stringify(Money.ofMajor(500_000))).toBe('{"amount":"500000.00","currency":"CNY"}');
  });
});

describe('AnnualRate', () => {
  it.each([
    ['0.0469', 469],
    ['.05', 500],
    ['0.1', 1000],
    ['1', 10000],
  ])('parses %s as %d basis points', (input, bp) => {
    expect(AnnualRate.parse(input).basisPoints).toBe(bp);
  });

  it('prints four decimals', () => {
    expect(AnnualRate.ofBasisPoints(469).toString()).toBe('0.0469');
    expect(AnnualRate.ofBasisPoints(300).add(AnnualRate.ofBasisPoints(169)).toString()).toBe('0.0469');
  });

  it.each(['0.04695', '2', '-0.01', 'x'])('refuses %j', (input) => {
    expect(() => AnnualRate.parse(input)).toThrow();
  });
});
