/** Every failure a service reports on purpose; the error filter maps the code to HTTP. */
export type DomainErrorCode =
  | 'validation'
  | 'bad_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'invalid_state'
  | 'locked'
  | 'csrf'
  | 'password_change_required'
  | 'payload_too_large'
  | 'unsupported_media'
  /** A service this request needs (the PDF renderer) failed or is saturated; retrying later may work. */
  | 'unavailable'
  /** Too many attempts from one address in a short time (log-in, public forms). */
  | 'too_many_requests';

/** Field name → Chinese message, as shown beside the form field. */
export type FieldErrors = Record<string, string>;

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly fields: FieldErrors = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function httpStatusOf(code: DomainErrorCode): number {
  switch (code) {
    case 'validation':
      return 422;
    case 'bad_request':
      return 400;
    case 'unauthenticated':
      return 401;
    case 'forbidden':
    case 'csrf':
    case 'password_change_required':
      return 403;
    case 'not_found':
      return 404;
    case 'conflict':
    case 'invalid_state':
      return 409;
    case 'locked':
      return 423;
    case 'payload_too_large':
      return 413;
    case 'unsupported_media':
      return 415;
    case 'unavailable':
      return 503;
    case 'too_many_requests':
      return 429;
    default: {
      const unreachable: never = code;
      return unreachable;
    }
  }
}
