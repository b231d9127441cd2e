import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/domain/errors.js';
import {
  ageOn,
  isValidUscc,
  maskMobile,
  maskResidentId,
  parseMobile,
  parseResidentId,
  parseUscc,
  residentIdCheckCharacter,
  usccCheckCharacter,
} from '../../shared/domain/identifiers.js';

const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

describe('Unified Social Credit Code (GB 32100-2015)', () => {
  it('computes the check character of a published code by the standard formula', () => {
    // 91350100M000100Y4 with values 9 1 3 5 0 1 0 0 M=21 0 0 0 1 0 0 Y=30 4 (position in the charset)
    // times weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28:
    // 9 + 3 + 27 + 135 + 0 + 26 + 0 + 0 + 420 + 0 + 0 + 0 + 8 + 0 + 0 + 900 + 112 = 1640
    // 1640 mod 31 = 28 (31 × 52 = 1612); 31 − 28 = 3 -> '3'
    expect(usccCheckCharacter('91350100M000100Y4')).toBe('3');
    expect(parseUscc('91350100M000100Y43')).toBe('91350100M000100Y43');
    expect(isValidUscc('91350100M000100Y43')).toBe(true);
  });

  it('accepts a code whose check character is a letter', () => {
    // 9 1 3 1 0 1 1 5 M=21 A=10 1 H=17 8 N=22 4 T=26 3, same weights:
    // 9 + 3 + 27 + 27 + 0 + 26 + 16 + 85 + 420 + 290 + 25 + 221 + 64 + 528 + 40 + 780 + 84 = 2645
    // 2645 mod 31 = 10 (31 × 85 = 2635); 31 − 10 = 21 -> 'M'
    expect(usccCheckCharacter('91310115MA1H8N4T3')).toBe('M');
    expect(isValidUscc('91310115MA1H8N4T3M')).toBe(true);
  });

  describe.each([
    { code: '91350100M000100Y4', problem: 'must be 18 characters (GB 32100-2015), got 17' },
    { code: '91350100M000100Y433', problem: 'must be 18 characters (GB 32100-2015), got 19' },
    { code: '91350100I000100Y43', problem: "character 9 'I' is not allowed" },
    { code: '91350100O000100Y43', problem: "character 9 'O' is not allowed" },
    { code: '91350100m000100y43', problem: "character 9 'm' is not allowed" },
    { code: '913501 0M000100Y43', problem: "character 7 ' ' is not allowed" },
    {
      code: '913A0100M000100Y43',
      problem: "characters 3-8 are the administrative division code and must be digits; character 4 is 'A'",
    },
    { code: '91350100M000100Y44', problem: 'check character mismatch: expected 3, got 4' },
    // Swapping the last two: Σ = 1640 − 4·28 + 3·28 = 1612 = 31 × 52, so the check becomes 31 − 0 -> 0.
    { code: '91350100M000100Y34', problem: 'check character mismatch: expected 0, got 4' },
  ])('$code', ({ code, problem }) => {
    it(`is refused: ${problem}`, () => {
      expect(isValidUscc(code)).toBe(false);
      expect(() => parseUscc(code, 'enterprise.uscc')).toThrow(ValidationError);
      expect(() => parseUscc(code, 'enterprise.uscc')).toThrow(`enterprise.uscc ${problem}`);
    });
  });

  it('names the field in the error', () => {
    const error = captureError(() => parseUscc('X', 'enterprise.uscc'));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('enterprise.uscc');
  });

  it('detects every single-character substitution (weights are non-zero modulo the prime 31)', () => {
    const code = fc
      .tuple(
        fc.array(fc.constantFrom(...USCC_CHARSET), { minLength: 2, maxLength: 2 }),
        fc.array(fc.constantFrom(...'0123456789'), { minLength: 6, maxLength: 6 }),
        fc.array(fc.constantFrom(...USCC_CHARSET), { minLength: 9, maxLength: 9 }),
      )
      .map((parts) => parts.flat().join(''))
      .map((first17) => first17 + usccCheckCharacter(first17));
    fc.assert(
      fc.property(code, fc.nat(17), fc.constantFrom(...USCC_CHARSET), (valid, position, replacement) => {
        expect(isValidUscc(valid)).toBe(true);
        const altered = valid.slice(0, position) + replacement + valid.slice(position + 1);
        expect(isValidUscc(altered)).toBe(altered === valid);
      }),
    );
  });
});

describe('resident ID number (GB 11643-1999)', () => {
  it("validates the standard's own example and reads birth date and gender", () => {
    // 1 1 0 1 0 5 1 9 4 9 1 2 3 1 0 0 2 times 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2:
    // 7 + 9 + 0 + 5 + 0 + 20 + 2 + 9 + 24 + 27 + 7 + 18 + 30 + 5 + 0 + 0 + 4 = 167
    // 167 mod 11 = 2; (12 − 2) mod 11 = 10 -> 'X'. Sequence 002 is even: female.
    expect(residentIdCheckCharacter('11010519491231002')).toBe('X');
    expect(parseResidentId('11010519491231002X')).toEqual({ birthDate: '1949-12-31', gender: 'F' });
  });

  it('validates the other example of the standard, a man born in 1880', () => {
    // Σ = 28 + 36 + 0 + 25 + 16 + 16 + 2 + 8 + 48 + 0 + 0 + 9 + 0 + 5 + 0 + 0 + 2 = 195
    // 195 mod 11 = 8; (12 − 8) mod 11 = 4. Sequence 001 is odd: male.
    expect(parseResidentId('440524188001010014')).toEqual({ birthDate: '1880-01-01', gender: 'M' });
  });

  describe.each([
    { id: '11010519491231002', today: undefined, problem: 'must be 18 characters (GB 11643-1999), got 17' },
    { id: '1101051949123100X2', today: undefined, problem: 'must start with 17 digits' },
    {
      id: '11010519491231002x',
      today: undefined,
      problem: "must end with a digit or an upper-case X, got 'x'",
    },
    {
      id: '110105194902310020',
      today: undefined,
      problem: 'digits 7-14 must be a real birth date, got 19490231',
    },
    {
      id: '110105194913010020',
      today: undefined,
      problem: 'digits 7-14 must be a real birth date, got 19491301',
    },
    { id: '110105203001010017', today: '2026-11-15', problem: 'birth date 2030-01-01 is in the future' },
    { id: '110105194912310021', today: undefined, problem: 'check character mismatch: expected X, got 1' },
  ])('$id', ({ id, today, problem }) => {
    it(`is refused: ${problem}`, () => {
      expect(() => parseResidentId(id, 'legalRepresentative.idNumber', today)).toThrow(
        `legalRepresentative.idNumber ${problem}`,
      );
    });
  });

  it('accepts a birth date of today', () => {
    const first17 = '11010520261115001';
    expect(
      parseResidentId(first17 + residentIdCheckCharacter(first17), 'idNumber', '2026-11-15').birthDate,
    ).toBe('2026-11-15');
  });

  it('detects every single-digit substitution in the body (ISO 7064 MOD 11-2)', () => {
    const valid = fc
      .array(fc.constantFrom(...'0123456789'), { minLength: 3, maxLength: 3 })
      .map((sequence) => `11010519800517${sequence.join('')}`)
      .map((first17) => first17 + residentIdCheckCharacter(first17));
    fc.assert(
      fc.property(valid, fc.nat(16), fc.nat(9), (id, position, digit) => {
        const altered = id.slice(0, position) + String(digit) + id.slice(position + 1);
        const accepted = captureError(() => parseResidentId(altered)) === undefined;
        expect(accepted).toBe(altered === id);
      }),
    );
  });
});

describe('ageOn', () => {
  it.each([
    { birthDate: '1979-03-12', date: '2026-11-15', age: 47 },
    { birthDate: '2000-11-16', date: '2026-11-15', age: 25 },
    { birthDate: '2000-11-15', date: '2026-11-15', age: 26 },
    { birthDate: '2000-02-29', date: '2025-02-28', age: 24 },
    { birthDate: '2000-02-29', date: '2025-03-01', age: 25 },
    { birthDate: '2000-02-29', date: '2028-02-29', age: 28 },
  ])('born $birthDate is $age on $date', ({ birthDate, date, age }) => {
    expect(ageOn(birthDate, date)).toBe(age);
  });

  it('refuses a date that is not YYYY-MM-DD', () => {
    expect(() => ageOn('1979-3-12', '2026-11-15')).toThrow(
      'birthDate must be a date YYYY-MM-DD, got 1979-3-12',
    );
  });
});

describe('masking', () => {
  it.each([
    { value: '11010519491231002X', masked: '1101**********002X' },
    { value: '1101', masked: '****' },
    { value: '', masked: '' },
  ])('masks the resident ID $value as $masked', ({ value, masked }) => {
    expect(maskResidentId(value)).toBe(masked);
  });

  it.each([
    { value: '13812345678', masked: '138****5678' },
    { value: '1381234', masked: '*******' },
  ])('masks the mobile $value as $masked', ({ value, masked }) => {
    expect(maskMobile(value)).toBe(masked);
  });
});

describe('parseMobile', () => {
  it.each(['13812345678', '19912345678', '15000000000'])('accepts %s', (mobile) => {
    expect(parseMobile(mobile)).toBe(mobile);
  });

  it.each(['12812345678', '1381234567', '138123456789', '+8613812345678', '1381234567a', '23812345678'])(
    'refuses %s',
    (mobile) => {
      expect(() => parseMobile(mobile, 'legalRepresentative.mobile')).toThrow(
        'legalRepresentative.mobile must be a mainland China mobile number',
      );
    },
  );
});

function captureError(action: () => unknown): unknown {
  try {
    action();
    return undefined;
  } catch (error) {
    return error;
  }
}
