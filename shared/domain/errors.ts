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
