import { CsvParseError } from './errors.js';

/**
 * A small CSV reader for training files, following RFC 4180 ("Common Format and MIME Type
 * for Comma-Separated Values Files", 2005): fields separated by commas, records by CRLF,
 * fields optionally enclosed in double quotes, a quote inside a quoted field written twice,
 * and commas and line breaks allowed inside quotes. Beyond the RFC it also accepts a bare LF
 * as a record break (files written on Unix), a UTF-8 byte-order mark, and a final line break
 * or none. The first record is the header.
 */
export interface CsvTable {
  header: string[];
  rows: string[][];
}

export function parseCsv(text: string): CsvTable {
  const records = parseRecords(text.startsWith('\uFEFF') ? text.slice(1) : text);
  const first = records[0];
  if (first === undefined) throw new CsvParseError('the file is empty: a header row is required', 1);
  const header = first.fields.map((name) => name.trim());
  const rows: string[][] = [];
  for (const { fields, line } of records.slice(1)) {
    // RFC 4180 §2.4: every record has the same number of fields as the header. A blank line
    // (one empty field) is skipped rather than read as a row of missing values.
    if (fields.length === 1 && fields[0] === '' && header.length > 1) continue;
    if (fields.length !== header.length) {
      throw new CsvParseError(
        `line ${line}: ${fields.length} fields where the header has ${header.length}`,
        line,
      );
    }
    rows.push(fields);
  }
  return { header, rows };
}

interface CsvRecord {
  fields: string[];
  line: number;
}

function parseRecords(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let closedQuote = false;
  let quoteOpenedOnLine = 1;
  let index = 0;
  const endField = () => {
    fields.push(field);
    field = '';
    closedQuote = false;
  };
  while (index < text.length) {
    const char = text[index];
    index += 1;
    if (quoted) {
      if (char !== '"') {
        if (char === '\n') line += 1;
        field += char;
      } else if (text[index] === '"') {
        field += '"';
        index += 1;
      } else {
        quoted = false;
        closedQuote = true;
      }
    } else if (char === ',') {
      endField();
    } else if (char === '\r' || char === '\n') {
      if (char === '\r' && text[index] === '\n') index += 1;
      endField();
      records.push({ fields, line: recordLine });
      fields = [];
      line += 1;
      recordLine = line;
    } else if (closedQuote) {
      // After a closing quote only a comma or a line break may follow (the RFC 4180 grammar, `escaped`).
      throw new CsvParseError(`line ${line}: text after a closing quote`, line);
    } else if (char === '"') {
      // A quote opens a quoted field only at the start of the field (RFC 4180 §2.5); elsewhere it is a fault.
      if (field !== '') throw new CsvParseError(`line ${line}: a quote inside an unquoted field`, line);
      quoted = true;
      quoteOpenedOnLine = line;
    } else {
      field += char;
    }
  }
  if (quoted) {
    throw new CsvParseError(`line ${quoteOpenedOnLine}: a quoted field is never closed`, quoteOpenedOnLine);
  }
  // A final line break ends the last record; without one, the text after the last break is a record.
  if (field !== '' || closedQuote || fields.length > 0) {
    endField();
    records.push({ fields, line: recordLine });
  }
  return records;
}

/** Values read as missing: an empty field, and the NA / null that R and pandas write. */
const MISSING_TOKENS: ReadonlySet<string> = new Set(['', 'NA', 'null']);

/** A decimal number in plain or scientific notation; no thousands separators, hex or Infinity. */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export type CsvValue = number | string | null;

export interface TypedColumns {
  /** Column name to its kind: numeric when every non-missing value is a number. */
  kinds: Record<string, 'numeric' | 'categorical'>;
  rows: Record<string, CsvValue>[];
}

/**
 * Decides per column whether it is numeric (every non-missing value parses as a number) or
 * categorical, and converts the cells: numbers for numeric columns, trimmed text for the
 * others, null for a missing value. A column of codes such as "F5191" stays text; a column
 * of numeric codes is read as numbers, which the caller can override by naming it categorical.
 */
export function typeColumns(table: CsvTable, categorical: readonly string[] = []): TypedColumns {
  const forced = new Set(categorical);
  const kinds: Record<string, 'numeric' | 'categorical'> = {};
  table.header.forEach((name, column) => {
    const numeric =
      !forced.has(name) &&
      table.rows.every((row) => {
        const cell = (row[column] ?? '').trim();
        return MISSING_TOKENS.has(cell) || NUMBER.test(cell);
      });
    kinds[name] = numeric ? 'numeric' : 'categorical';
  });
  const rows = table.rows.map((row) => {
    const values: Record<string, CsvValue> = {};
    table.header.forEach((name, column) => {
      const cell = (row[column] ?? '').trim();
      values[name] = MISSING_TOKENS.has(cell) ? null : kinds[name] === 'numeric' ? Number(cell) : cell;
    });
    return values;
  });
  return { kinds, rows };
}

/**
 * Writes a table as RFC 4180 CSV with CRLF line breaks, quoting a field only when it holds a
 * comma, a quote or a line break; null is an empty field.
 */
export function formatCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  const field = (value: CsvValue): string => {
    if (value === null) return '';
    const text = String(value);
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return [header, ...rows].map((row) => `${row.map(field).join(',')}\r\n`).join('');
}
