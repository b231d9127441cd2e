import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCsv, parseCsv, typeColumns } from '../../../shared/domain/scorecard/csv.js';
import { CsvParseError } from '../../../shared/domain/scorecard/errors.js';

describe('parseCsv (RFC 4180)', () => {
  it('reads a header and rows separated by CRLF', () => {
    expect(parseCsv('a,b\r\n1,2\r\n3,4\r\n')).toEqual({
      header: ['a', 'b'],
      rows: [
        ['1', '2'],
        ['3', '4'],
      ],
    });
  });

  it('accepts bare LF, no final line break and a byte-order mark', () => {
    expect(parseCsv('\uFEFFa,b\n1,2\n3,4')).toEqual({
      header: ['a', 'b'],
      rows: [
        ['1', '2'],
        ['3', '4'],
      ],
    });
  });

  it('reads quoted fields holding commas, doubled quotes and line breaks', () => {
    const text = 'name,note\r\n"Acme, Ltd","said ""hi"""\r\n"two\r\nlines",\r\n';
    expect(parseCsv(text).rows).toEqual([
      ['Acme, Ltd', 'said "hi"'],
      ['two\r\nlines', ''],
    ]);
  });

  it('keeps empty fields, quoted or not', () => {
    expect(parseCsv('a,b,c\n,"",x\n').rows).toEqual([['', '', 'x']]);
  });

  it('skips blank lines', () => {
    expect(parseCsv('a,b\n1,2\n\n3,4\n').rows).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
  });

  it.each([
    ['a,b\n1,2,3\n', 'line 2: 3 fields where the header has 2', 2],
    ['a,b\n1,2\n"1,2\n', 'line 3: a quoted field is never closed', 3],
    ['a,b\n"1"x,2\n', 'line 2: text after a closing quote', 2],
    ['a,b\n1"x,2\n', 'line 2: a quote inside an unquoted field', 2],
    ['a,b\n"x\ny",1\n1,2,3\n', 'line 4: 3 fields where the header has 2', 4],
    ['', 'the file is empty: a header row is required', 1],
  ])('rejects %j: %s', (text, message, line) => {
    const error = captureError(() => parseCsv(text));
    expect(error).toBeInstanceOf(CsvParseError);
    expect(error).toMatchObject({ message, line });
  });

  it('reads back what formatCsv writes', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r', ' ', '1') });
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { maxLength: 8 }), (rows) => {
        // A row of three empty strings would be written as ",," and read back as is; only a one-column blank line is skipped.
        const parsed = parseCsv(formatCsv(['x', 'y', 'z'], rows));
        expect(parsed.header).toEqual(['x', 'y', 'z']);
        expect(parsed.rows).toEqual(rows);
      }),
    );
  });
});

describe('typeColumns', () => {
  const table = parseCsv(
    'months,grade,code,default\n12,A,5191,0\n,B,3421,1\nNA,,G5438,0\n1.5e2,null,6513,1\n',
  );

  it('makes a column numeric when every non-missing value is a number', () => {
    const typed = typeColumns(table);
    expect(typed.kinds).toEqual({
      months: 'numeric',
      grade: 'categorical',
      code: 'categorical',
      default: 'numeric',
    });
    expect(typed.rows.map((row) => row.months)).toEqual([12, null, null, 150]);
    expect(typed.rows.map((row) => row.grade)).toEqual(['A', 'B', null, null]);
    expect(typed.rows.map((row) => row.code)).toEqual(['5191', '3421', 'G5438', '6513']);
  });

  it('keeps a column named categorical as text even when it looks numeric', () => {
    const typed = typeColumns(parseCsv('code,default\n5191,0\n3421,1\n'), ['code']);
    expect(typed.kinds.code).toBe('categorical');
    expect(typed.rows.map((row) => row.code)).toEqual(['5191', '3421']);
  });
});

function captureError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
