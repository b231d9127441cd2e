import enterprises from '../../local/fixtures/enterprises.json' with { type: 'json' };

/**
 * What must never appear in a log line: resident ID numbers (GB 11643-1999: six digits of
 * region, an eight-digit birth date, three of sequence, a check character), mainland mobile
 * numbers, and the names of the people in the fixtures. The patterns find any ID or mobile,
 * not only the fixtures' (a test may build its own, or break a check digit on purpose); a
 * masked form such as 3501**********1357 is not a match.
 */
const RESIDENT_ID =
  /(?<![0-9A-Za-z])\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])/g;
const MOBILE = /(?<![0-9A-Za-z.])1[3-9]\d{9}(?![0-9A-Za-z]|\.\d)/g;

export const FIXTURE_PEOPLE = enterprises.map((e) => e.legalRepresentative);

export interface PersonalDataFinding {
  kind: 'resident ID' | 'mobile' | 'name';
  value: string;
  line: string;
}

export function personalDataIn(
  lines: readonly string[],
  names: readonly string[] = FIXTURE_PEOPLE.map((p) => p.name),
) {
  const findings: PersonalDataFinding[] = [];
  for (const line of lines) {
    for (const [value] of line.matchAll(RESIDENT_ID)) findings.push({ kind: 'resident ID', value, line });
    for (const [value] of line.matchAll(MOBILE)) findings.push({ kind: 'mobile', value, line });
    for (const name of names) if (line.includes(name)) findings.push({ kind: 'name', value: name, line });
  }
  return findings;
}
