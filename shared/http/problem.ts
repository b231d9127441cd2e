import {
  ConflictError,
  ForbiddenError,
  IdempotencyKeyReusedError,
  InsufficientFundsError,
  NotFoundError,
  OutcomeUnknownError,
  UnauthorizedError,
  ValidationError,
} from '../domain/errors.js';
import { AlreadyListedError, StaleLoanError } from '../ports/stores.js';

export interface FieldError {
  field: string;
  message: string;
}

/** An error raised at the HTTP edge (malformed request, missing header, wrong media type). */
export class HttpProblem extends Error {
  override name = 'HttpProblem';
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly errors?: FieldError[],
  ) {
    super(detail);
  }
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
  correlationId?: string;
}

/** The problem type URI of a title, e.g. "Invalid request" -> urn:fast-loan:problem:invalid-request. */
export const problemType = (title: string) =>
  `urn:fast-loan:problem:${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;

function problem(status: number, title: string, detail: string, errors?: FieldError[]): Problem {
  return {
    type: problemType(title),
    title,
    status,
    detail,
    ...(errors?.length ? { errors } : {}),
  };
}

/**
 * Maps an error to RFC 9457 problem details by its class. Anything unknown is a 500 whose
 * detail reveals nothing; the caller logs it with the correlation id.
 */
export function toProblem(error: unknown): Problem & { known: boolean } {
  const known = (p: Problem) => ({ ...p, known: true });
  if (error instanceof HttpProblem)
    return known(problem(error.status, error.title, error.message, error.errors));
  if (error instanceof ValidationError) {
    return known(
      problem(
        422,
        'Unprocessable request',
        error.message,
        error.field ? [{ field: error.field, message: error.message }] : undefined,
      ),
    );
  }
  if (error instanceof IdempotencyKeyReusedError)
    return known(problem(422, 'Idempotency key reused', error.message));
  if (error instanceof InsufficientFundsError)
    return known(problem(422, 'Insufficient funds', error.message));
  if (error instanceof NotFoundError) return known(problem(404, 'Not found', error.message));
  if (error instanceof OutcomeUnknownError)
    return known(problem(503, 'Outcome not yet known', error.message));
  if (error instanceof ConflictError || error instanceof AlreadyListedError) {
    return known(problem(409, 'Conflict', error.message));
  }
  // Optimistic concurrency gave up after its retries: other writers kept changing the loan.
  if (error instanceof StaleLoanError)
    return known(problem(409, 'Conflict', `${error.message}; retry in a moment`));
  if (error instanceof ForbiddenError) return known(problem(403, 'Forbidden', error.message));
  if (error instanceof UnauthorizedError) return known(problem(401, 'Unauthorized', error.message));
  return {
    ...problem(
      500,
      'Internal error',
      'Something went wrong on our side; quote the correlation id when you report it.',
    ),
    known: false,
  };
}
