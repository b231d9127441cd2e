import { describe, expect, it } from 'vitest';
import { LPR_TABLE, lprOn, parseLprTable } from '../../../shared/domain/decisioning/lpr.js';
import fixingsFile from '../../../shared/domain/decisioning/lpr-fixings.json' with { type: 'json' };
import { ValidationError } from '../../../shared/domain/errors.js';

describe('the LPR table', () => {
  it.each([
    { date: '2019-08-20', version: 'lpr-2019-08', basisPoints: 425 },
    { date: '2024-10-20', version: 'lpr-2024-07', basisPoints: 335 },
    { date: '2024-10-21', version: 'lpr-2024-10', basisPoints: 310 },
    { date: '2026-10-19', version: 'lpr-2025-05', basisPoints: 300 },
    { date: '2026-11-15', version: 'lpr-2026-10', basisPoints: 300 },
  ])('prices $date with $version ($basisPoints bp)', ({ date, version, basisPoints }) => {
    expect(lprOn(date)).toEqual(expect.objectContaining({ version, oneYearBasisPoints: basisPoints }));
  });

  it('has no fixing before the LPR reform of August 2019', () => {
    expect(() => lprOn('2019-08-19')).toThrow(ValidationError);
    expect(() => lprOn('2019-08-19')).toThrow('no LPR fixing in force on 2019-08-19');
  });

  it('ships in date order, each version naming its month', () => {
    expect(LPR_TABLE.length).toBe(fixingsFile.fixings.length);
    for (const fixing of LPR_TABLE) expect(fixing.version).toBe(`lpr-${fixing.effectiveOn.slice(0, 7)}`);
  });

  const good = { version: 'lpr-2026-10', effectiveOn: '2026-10-20', oneYearBasisPoints: 300 };
  it.each([
    {
      why: 'out of date order',
      fixings: [good, { ...good, version: 'lpr-2026-09', effectiveOn: '2026-09-22' }],
      field: 'fixings.1.effectiveOn',
    },
    {
      why: 'a version for another month',
      fixings: [{ ...good, version: 'lpr-2026-11' }],
      field: 'fixings.0.version',
    },
    {
      why: 'a rate of zero',
      fixings: [{ ...good, oneYearBasisPoints: 0 }],
      field: 'fixings.0.oneYearBasisPoints',
    },
    {
      why: 'a rate as a percentage',
      fixings: [{ ...good, oneYearBasisPoints: 3.0 + 0.05 }],
      field: 'fixings.0.oneYearBasisPoints',
    },
    { why: 'no date', fixings: [{ ...good, effectiveOn: '20 Oct 2026' }], field: 'fixings.0.effectiveOn' },
    { why: 'a misspelt field', fixings: [{ ...good, oneYearBasisPoint: 300 }], field: 'fixings.0' },
    { why: 'an empty table', fixings: [], field: 'fixings' },
  ])('refuses a table with $why, naming the entry', ({ fixings, field }) => {
    expect(() => parseLprTable({ fixings })).toThrow(ValidationError);
    try {
      parseLprTable({ fixings });
    } catch (error) {
      expect((error as ValidationError).field).toBe(field);
    }
  });
});
