import { describe, expect, it } from 'vitest';
import { FIXTURE_PEOPLE, personalDataIn } from '../support/personal-data.js';

const person = FIXTURE_PEOPLE[0] ?? { name: '', idNumber: '', mobile: '' };

/** The scanner the e2e log check relies on: it must find what a careless log line would hold. */
describe('the personal data scan of captured logs', () => {
  it.each([
    ['a logged request body', JSON.stringify({ message: 'request', body: { legalRepresentative: person } })],
    ['an ID with a wrong check digit', `{"message":"x","value":"${person.idNumber.slice(0, 17)}0"}`],
    ['an ID with a lower-case x', '{"message":"id 11010519491231002x refused"}'],
    ['a mobile inside a sentence', `{"message":"sms to ${person.mobile} failed"}`],
    ['a name', `{"message":"reviewed","who":"${person.name}"}`],
  ])('finds %s', (_, line) => {
    expect(personalDataIn([line]).length).toBeGreaterThan(0);
  });

  it('leaves alone what a log line legitimately holds', () => {
    const line = JSON.stringify({
      level: 'INFO',
      timestamp: '2026-12-04T01:00:24.436Z',
      epochMs: 1796346024436,
      function_request_id: '885fa579-6043-4f44-84c2-0a34920f6584',
      uscc: '91350102MA31K7Q230',
      masked: '3501**********1357',
      mobileMasked: '139****0001',
      loanId: 'LN-DD-13905910001abcdefgh',
      amount: '13905910001.00',
      minorUnits: 1390591000100,
    });
    expect(personalDataIn([line])).toEqual([]);
  });
});
