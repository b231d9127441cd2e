import { ValidationError } from './errors.js';

/**
 * Identifiers of Chinese enterprises and people, validated by their check characters so a
 * typo is caught at the edge instead of as a "not found" from a data provider.
 */

/**
 * The Unified Social Credit Code (统一社会信用代码, "uscc"), GB 32100-2015: 18 characters from
 * a 31-character set that leaves out I, O, S, V and Z (they read like 1, 0, 5, U and 2).
 * Characters 1-2 are the registering authority and entity type, 3-8 the administrative
 * division code (GB/T 2260, digits), 9-17 the entity identifier, 18 the check character.
 */
const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** GB 32100-2015 §5: weight of position i is 3^(i-1) mod 31. */
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const USCC_LENGTH = 18;

/** The GB 32100-2015 check character for the first 17 characters of a code: C18 = 31 - (Σ Ci·Wi mod 31), 31 -> 0. */
export function usccCheckCharacter(first17: string): string {
  if (first17.length !== USCC_LENGTH - 1) {
    throw new ValidationError(`uscc body must be 17 characters, got ${first17.length}`, 'uscc');
  }
  let sum = 0;
  for (const [index, weight] of USCC_WEIGHTS.entries()) {
    const value = USCC_CHARSET.indexOf(first17.charAt(index));
    if (value < 0) throw new ValidationError(usccCharacterMessage('uscc', first17, index), 'uscc');
    sum += value * weight;
  }
  return USCC_CHARSET.charAt((31 - (sum % 31)) % 31);
}

/**
 * Checks a Unified Social Credit Code as printed on a business licence. Lower case is
 * refused rather than silently upper-cased: the code is an identifier, and the edge that
 * accepts typed input is the place to normalise it.
 */
export function parseUscc(code: string, field = 'uscc'): string {
  if (code.length !== USCC_LENGTH) {
    throw new ValidationError(`${field} must be 18 characters (GB 32100-2015), got ${code.length}`, field);
  }
  for (let index = 0; index < USCC_LENGTH; index += 1) {
    if (!USCC_CHARSET.includes(code.charAt(index))) {
      throw new ValidationError(usccCharacterMessage(field, code, index), field);
    }
  }
  for (let index = 2; index < 8; index += 1) {
    if (!/\d/.test(code.charAt(index))) {
      throw new ValidationError(
        `${field} characters 3-8 are the administrative division code and must be digits; character ${index + 1} is '${code.charAt(index)}'`,
        field,
      );
    }
  }
  const expected = usccCheckCharacter(code.slice(0, USCC_LENGTH - 1));
  const actual = code.charAt(USCC_LENGTH - 1);
  if (actual !== expected) {
    throw new ValidationError(
      `${field} check character mismatch: expected ${expected}, got ${actual}`,
      field,
    );
  }
  return code;
}

export function isValidUscc(code: string): boolean {
  try {
    parseUscc(code);
    return true;
  } catch (error) {
    if (error instanceof ValidationError) return false;
    throw error;
  }
}

function usccCharacterMessage(field: string, code: string, index: number): string {
  return `${field} character ${index + 1} '${code.charAt(index)}' is not allowed: GB 32100-2015 uses digits and upper-case letters except I, O, S, V, Z`;
}

/**
 * The citizen identity number (公民身份号码), GB 11643-1999: a 6-digit address code, an
 * 8-digit birth date YYYYMMDD, a 3-digit sequence whose last digit is odd for men and even
 * for women, and an ISO 7064 MOD 11-2 check character (0-9 or X for 10).
 */
const RESIDENT_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;

/** ISO 7064 MOD 11-2 as applied by GB 11643-1999: C18 = (12 - (Σ Ai·Wi mod 11)) mod 11, 10 -> X. */
export function residentIdCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) {
    throw new ValidationError('resident ID body must be 17 digits', 'idNumber');
  }
  let sum = 0;
  for (const [index, weight] of RESIDENT_ID_WEIGHTS.entries()) sum += Number(first17.charAt(index)) * weight;
  const check = (12 - (sum % 11)) % 11;
  return check === 10 ? 'X' : String(check);
}

export interface ResidentIdFacts {
  birthDate: string;
  gender: 'M' | 'F';
}

/**
 * Validates a resident ID number and reads the birth date and gender it encodes. The
 * "not in the future" check needs today's business date, which the caller passes from its
 * Clock (the domain never reads the system time); without `today` it is skipped.
 */
export function parseResidentId(id: string, field = 'idNumber', today?: string): ResidentIdFacts {
  if (id.length !== 18) {
    throw new ValidationError(`${field} must be 18 characters (GB 11643-1999), got ${id.length}`, field);
  }
  if (!/^\d{17}/.test(id)) {
    throw new ValidationError(`${field} must start with 17 digits`, field);
  }
  const actual = id.charAt(17);
  if (!/^[\dX]$/.test(actual)) {
    throw new ValidationError(`${field} must end with a digit or an upper-case X, got '${actual}'`, field);
  }
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (!isCalendarDate(birthDate)) {
    throw new ValidationError(
      `${field} digits 7-14 must be a real birth date, got ${id.slice(6, 14)}`,
      field,
    );
  }
  if (today !== undefined && birthDate > requireDate(today, 'today')) {
    throw new ValidationError(`${field} birth date ${birthDate} is in the future`, field);
  }
  const expected = residentIdCheckCharacter(id.slice(0, 17));
  if (actual !== expected) {
    throw new ValidationError(
      `${field} check character mismatch: expected ${expected}, got ${actual}`,
      field,
    );
  }
  return { birthDate, gender: Number(id.charAt(16)) % 2 === 1 ? 'M' : 'F' };
}

/**
 * Age in whole years (周岁) on `date`. The age goes up on the birthday itself; someone born on
 * 29 February turns a year older on 1 March in common years.
 */
export function ageOn(birthDate: string, date: string): number {
  const [birthYear, birthMonthDay] = splitDate(requireDate(birthDate, 'birthDate'));
  const [year, monthDay] = splitDate(requireDate(date, 'date'));
  return year - birthYear - (monthDay < birthMonthDay ? 1 : 0);
}

/** "11010519491231002X" -> "1101**********002X": enough for a person to recognise their own number, not to use it. */
export function maskResidentId(id: string): string {
  return maskMiddle(id, 4, 4);
}

/** "13812345678" -> "138****5678", the masking Chinese banks and carriers print. */
export function maskMobile(mobile: string): string {
  return maskMiddle(mobile, 3, 4);
}

/**
 * A mainland China mobile number: 11 digits, "1" then a network digit 3-9 (MIIT numbering
 * plan). Without the +86 country code, which the edge strips.
 */
export function parseMobile(mobile: string, field = 'mobile'): string {
  if (!/^1[3-9]\d{9}$/.test(mobile)) {
    throw new ValidationError(
      `${field} must be a mainland China mobile number: 11 digits starting with 13-19, without +86`,
      field,
    );
  }
  return mobile;
}

/** Masking never throws: it runs on the way to logs, where a malformed value must still be hidden. */
function maskMiddle(value: string, keepStart: number, keepEnd: number): string {
  if (value.length <= keepStart + keepEnd) return '*'.repeat(value.length);
  return `${value.slice(0, keepStart)}${'*'.repeat(value.length - keepStart - keepEnd)}${value.slice(-keepEnd)}`;
}

function isCalendarDate(date: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return false;
  const [, year, month, day] = match.map(Number);
  if (year === undefined || month === undefined || day === undefined) return false;
  const parsed = new Date(Date.UTC(year, month - 1, day));
  return (
    parsed.getUTCFullYear() === year && parsed.getUTCMonth() === month - 1 && parsed.getUTCDate() === day
  );
}

function requireDate(date: string, field: string): string {
  if (!isCalendarDate(date))
    throw new ValidationError(`${field} must be a date YYYY-MM-DD, got ${date}`, field);
  return date;
}

function splitDate(date: string): [year: number, monthDay: string] {
  return [Number(date.slice(0, 4)), date.slice(5)];
}
