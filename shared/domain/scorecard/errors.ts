import { DomainError } from '../errors.js';

/** A CSV file that breaks RFC 4180 (an unterminated quote, a record with the wrong number of fields). */
export class CsvParseError extends DomainError {
  override name = 'CsvParseError';
  constructor(
    message: string,
    /** 1-based line of the file where the faulty record starts. */
    readonly line: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Training data a scorecard cannot be fitted on: no such target column, a target that is not 0/1, no bads. */
export class TrainingDataError extends DomainError {
  override name = 'TrainingDataError';
}

/** A value of the wrong kind for a characteristic (text for a numeric feature). */
export class ScorecardInputError extends DomainError {
  override name = 'ScorecardInputError';
}
