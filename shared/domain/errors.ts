/**
 * Base class of every error the domain and services raise on purpose. The HTTP layer maps
 * subclasses to RFC 9457 problems by `instanceof`; the workflow matches them by `name`.
 */
export class DomainError extends Error {
  override name = 'DomainError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Input that breaks a rule of the domain, with the field (a JSON pointer-ish dotted path) at fault. */
export class ValidationError extends DomainError {
  override name = 'ValidationError';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** The thing asked for does not exist, or the caller may not know that it exists. */
export class NotFoundError extends DomainError {
  override name = 'NotFoundError';
}

/** The request is well formed but the resource is not in a state that allows it. */
export class ConflictError extends DomainError {
  override name = 'ConflictError';
}

/** An Idempotency-Key was reused with a different request body. */
export class IdempotencyKeyReusedError extends DomainError {
  override name = 'IdempotencyKeyReusedError';
}

export class ForbiddenError extends DomainError {
  override name = 'ForbiddenError';
}

export class UnauthorizedError extends DomainError {
  override name = 'UnauthorizedError';
}

/** The enterprise's settlement account could not cover a debit; nothing was taken. */
export class InsufficientFundsError extends DomainError {
  override name = 'InsufficientFundsError';
}

/**
 * A call to another system (core banking) failed without saying whether it acted. What was
 * asked is recorded and will be finished by a retry with the same Idempotency-Key or by
 * reconciliation; the client should retry later (HTTP 503).
 */
export class OutcomeUnknownError extends DomainError {
  override name = 'OutcomeUnknownError';
}
