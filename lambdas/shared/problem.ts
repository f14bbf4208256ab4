/**
 * Typed HTTP errors, rendered as RFC 9457 `application/problem+json`:
 * `{type, title, status, detail, code, errors?}`. Nothing here ever carries a request value.
 */
export interface FieldError {
  readonly path: string;
  readonly message: string;
}

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly errors?: readonly FieldError[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const problemType = (code: string) => `urn:password-bff:problem:${code}`;

export abstract class HttpError extends Error {
  abstract readonly statusCode: number;
  abstract readonly title: string;
  readonly headers: Record<string, string> = {};

  constructor(
    readonly code: string,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(detail, options);
    this.name = new.target.name;
  }

  toProblem(): Problem {
    return {
      type: problemType(this.code),
      title: this.title,
      status: this.statusCode,
      detail: this.detail,
      code: this.code,
    };
  }
}

export class BadRequestError extends HttpError {
  readonly statusCode = 400;
  readonly title = 'Bad Request';
}

export class ValidationError extends BadRequestError {
  constructor(
    readonly errors: readonly FieldError[],
    detail = 'The request is not valid.',
  ) {
    super('ValidationFailed', detail);
  }

  override toProblem(): Problem {
    return { ...super.toProblem(), errors: this.errors };
  }
}

export class UnauthorizedError extends HttpError {
  readonly statusCode = 401;
  readonly title = 'Unauthorized';
}

export class ForbiddenError extends HttpError {
  readonly statusCode = 403;
  readonly title = 'Forbidden';
}

export class NotFoundError extends HttpError {
  readonly statusCode = 404;
  readonly title = 'Not Found';
}

export class ConflictError extends HttpError {
  readonly statusCode = 409;
  readonly title = 'Conflict';
}

export class PayloadTooLargeError extends HttpError {
  readonly statusCode = 413;
  readonly title = 'Payload Too Large';
}

export class UnsupportedMediaTypeError extends HttpError {
  readonly statusCode = 415;
  readonly title = 'Unsupported Media Type';
}

export class TooManyRequestsError extends HttpError {
  readonly statusCode = 429;
  readonly title = 'Too Many Requests';

  constructor(code: string, detail: string, retryAfterSeconds: number, options?: { cause?: unknown }) {
    super(code, detail, options);
    this.headers['Retry-After'] = String(retryAfterSeconds);
  }
}

export class InternalError extends HttpError {
  readonly statusCode = 500;
  readonly title = 'Internal Server Error';

  constructor(options?: { cause?: unknown }) {
    super('Internal', 'The service could not process the request.', options);
  }
}

export class BadGatewayError extends HttpError {
  readonly statusCode = 502;
  readonly title = 'Bad Gateway';
}

export class ServiceUnavailableError extends HttpError {
  readonly statusCode = 503;
  readonly title = 'Service Unavailable';

  constructor(code: string, detail: string, options?: { cause?: unknown }) {
    super(code, detail, options);
    this.headers['Retry-After'] = '5';
  }
}
