import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/domain/errors.js';
import {
  addDays,
  assertBusinessDate,
  daysBetween,
  interestBetween,
  interestForDay,
  interestForDays,
  RateMultiple,
} from '../../../shared/domain/servicing/index.js';
import { money, rate, sum } from './builders.js';

describe('daysBetween and addDays', () => {
  it.each([
    { from: '2024-02-28', to: '2024-03-01', days: 2, why: 'leap year: 29 Feb counts' },
    { from: '2025-02-28', to: '2025-03-01', days: 1, why: 'common year' },
    { from: '2024-12-31', to: '2025-01-01', days: 1, why: 'across the year end' },
    { from: '2025-01-15', to: '2026-01-15', days: 365, why: 'a whole common year' },
    { from: '2025-03-01', to: '2025-02-28', days: -1, why: 'backwards is negative' },
  ])('$from to $to is $days days ($why)', ({ from, to, days }) => {
    expect(daysBetween(from, to)).toBe(days);
    expect(addDays(from, days)).toBe(to);
  });

  it.each(['2025-02-30', '2025-2-01', '20250201', '2025-13-01', ''])(
    'refuses %j as a business date',
    (date) => {
      expect(() => assertBusinessDate(date, 'disbursementDate')).toThrow(ValidationError);
      expect(() => assertBusinessDate(date, 'disbursementDate')).toThrow(/disbursementDate/);
    },
  );
});

describe('interest on a day count', () => {
  it.each([
    // Hand checks: principal × rate × days / year days, then ROUND(…, 2) half away from zero.
    {
      principal: '1000000.00',
      rate: '0.0365',
      days: 1,
      dayCount: 'ACT_365',
      expected: '100.00',
      why: '1e6 × 0.0365 / 365',
    },
    {
      principal: '1000000.00',
      rate: '0.0365',
      days: 1,
      dayCount: 'ACT_360',
      expected: '101.39',
      why: '101.3888… rounds up',
    },
    {
      principal: '50000.00',
      rate: '0.072',
      days: 90,
      dayCount: 'ACT_360',
      expected: '900.00',
      why: '50000 × 0.072 × 90 / 360',
    },
    {
      principal: '1000.00',
      rate: '0.0009',
      days: 2,
      dayCount: 'ACT_360',
      expected: '0.01',
      why: 'exactly 0.005: half rounds away from zero',
    },
    {
      principal: '1000.00',
      rate: '0.0009',
      days: 1,
      dayCount: 'ACT_360',
      expected: '0.00',
      why: '0.0025 rounds down',
    },
    {
      principal: '120000.00',
      rate: '0.06',
      days: 0,
      dayCount: 'ACT_360',
      expected: '0.00',
      why: 'no days, no interest',
    },
  ] as const)('$principal at $rate for $days days on $dayCount = $expected ($why)', (c) => {
    expect(interestForDays(money(c.principal), rate(c.rate), c.days, c.dayCount).toString()).toBe(c.expected);
  });

  it('counts the first day and not the last (算头不算尾)', () => {
    // 31 days from 15 Jan to 15 Feb: 120000 × 0.06 × 31 / 360 = 620.00.
    expect(interestBetween(money('120000.00'), rate('0.06'), '2025-01-15', '2025-02-15').toString()).toBe(
      '620.00',
    );
  });

  it('applies a rate multiple exactly, without rounding the penalty rate to a basis point', () => {
    // 4.35% × 1.5 = 6.525%, not a whole basis point: 100000 × 0.06525 × 30 / 360 = 543.75.
    const penalty = interestForDays(
      money('100000.00'),
      rate('0.0435'),
      30,
      'ACT_360',
      RateMultiple.parse('1.5'),
    );
    expect(penalty.toString()).toBe('543.75');
  });

  it('refuses a period that ends before it starts, naming the field', () => {
    expect(() => interestBetween(money('1.00'), rate('0.06'), '2025-02-01', '2025-01-01')).toThrow(
      expect.objectContaining({ field: 'to' }),
    );
  });
});

describe('interestForDay: the rounding point is the run, not the day', () => {
  it('makes 30 days of 10,000.00 at 5% sum to the 30-day interest, where rounding each day would not', () => {
    // Prepare: exact daily interest 10000 × 0.05 / 360 = 1.38888…; 30 days = 41.666… -> 41.67.
    // Rounding every day alone would book 1.39 × 30 = 41.70.
    const days = Array.from({ length: 30 }, (_, k) => addDays('2025-04-01', k));
    // Act
    const booked = days.map((date) => interestForDay(money('10000.00'), rate('0.05'), '2025-04-01', date));
    // Assess
    expect(sum(booked).toString()).toBe('41.67');
    expect(new Set(booked.map(String))).toEqual(new Set(['1.38', '1.39']));
    expect(booked.slice(0, 3).map(String)).toEqual(['1.39', '1.39', '1.39']);
  });

  it('is the same figure however often it is asked', () => {
    const first = interestForDay(money('10000.00'), rate('0.05'), '2025-04-01', '2025-04-18');
    const again = interestForDay(money('10000.00'), rate('0.05'), '2025-04-01', '2025-04-18');
    expect(again.toString()).toBe(first.toString());
  });
});

describe('RateMultiple', () => {
  it.each([
    ['1.5', '1.5'],
    ['1.30', '1.3'],
    ['2', '2'],
    ['1.0001', '1.0001'],
  ])('parses %s', (input, shown) => {
    expect(RateMultiple.parse(input).toString()).toBe(shown);
  });

  it.each(['0.5', '1.23456', 'abc', '11', '-1.5'])('refuses %j, naming the field', (input) => {
    expect(() => RateMultiple.parse(input)).toThrow(expect.objectContaining({ field: 'penaltyMultiple' }));
  });
});
