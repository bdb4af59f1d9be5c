/**
 * The one error vocabulary of Dateline. Services throw DomainError with a code; the REST filter
 * and the GraphQL formatter each translate the code through ERROR_CATALOG, so both transports
 * agree on what went wrong.
 */
export type GraphqlErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

interface CatalogEntry {
  status: number;
  title: string;
  graphql: GraphqlErrorCode;
}

export const ERROR_CATALOG = {
  VALIDATION_FAILED: { status: 400, title: 'Invalid input', graphql: 'BAD_USER_INPUT' },
  MALFORMED_BODY: { status: 400, title: 'Malformed request body', graphql: 'BAD_USER_INPUT' },
  MALFORMED_URL: { status: 400, title: 'Malformed URL', graphql: 'BAD_USER_INPUT' },
  MALFORMED_REQUEST: { status: 400, title: 'Malformed request', graphql: 'BAD_USER_INPUT' },
  SECTION_CYCLE: { status: 400, title: 'Section cycle', graphql: 'BAD_USER_INPUT' },
  UNKNOWN_SECTION: { status: 400, title: 'Unknown section', graphql: 'BAD_USER_INPUT' },
  UNKNOWN_REACTION_TYPE: { status: 400, title: 'Unknown reaction type', graphql: 'BAD_USER_INPUT' },
  UNAUTHENTICATED: { status: 401, title: 'Unauthenticated', graphql: 'UNAUTHENTICATED' },
  FORBIDDEN: { status: 403, title: 'Forbidden', graphql: 'FORBIDDEN' },
  NOT_FOUND: { status: 404, title: 'Not found', graphql: 'NOT_FOUND' },
  ROUTE_NOT_FOUND: { status: 404, title: 'Not found', graphql: 'NOT_FOUND' },
  SECTION_NOT_FOUND: { status: 404, title: 'Section not found', graphql: 'NOT_FOUND' },
  ARTICLE_NOT_FOUND: { status: 404, title: 'Article not found', graphql: 'NOT_FOUND' },
  API_KEY_NOT_FOUND: { status: 404, title: 'API key not found', graphql: 'NOT_FOUND' },
  REVISION_NOT_FOUND: { status: 404, title: 'Revision not found', graphql: 'NOT_FOUND' },
  WEBHOOK_NOT_FOUND: { status: 404, title: 'Webhook not found', graphql: 'NOT_FOUND' },
  WEBHOOK_DELIVERY_NOT_FOUND: { status: 404, title: 'Webhook delivery not found', graphql: 'NOT_FOUND' },
  RANKING_NOT_FOUND: { status: 404, title: 'Ranking not found', graphql: 'NOT_FOUND' },
  MEDIA_NOT_FOUND: { status: 404, title: 'Media not found', graphql: 'NOT_FOUND' },
  MEDIA_IN_USE: { status: 409, title: 'Media is in use', graphql: 'CONFLICT' },
  IMAGE_UNREADABLE: { status: 422, title: 'Image cannot be read', graphql: 'BAD_USER_INPUT' },
  IMAGE_TOO_MANY_PIXELS: { status: 422, title: 'Image has too many pixels', graphql: 'BAD_USER_INPUT' },
  MEDIA_FETCH_FAILED: { status: 422, title: 'Image could not be fetched', graphql: 'BAD_USER_INPUT' },
  PREVIEW_NOT_FOUND: { status: 404, title: 'Preview not found', graphql: 'NOT_FOUND' },
  WORKING_COPY_NOT_FOUND: { status: 404, title: 'Working copy not found', graphql: 'NOT_FOUND' },
  SLUG_TAKEN: { status: 409, title: 'Slug already in use', graphql: 'CONFLICT' },
  SECTION_NOT_EMPTY: { status: 409, title: 'Section is not empty', graphql: 'CONFLICT' },
  EXTERNAL_ID_TAKEN: { status: 409, title: 'External id already in use', graphql: 'CONFLICT' },
  VERSION_MISMATCH: { status: 412, title: 'Version mismatch', graphql: 'CONFLICT' },
  ARTICLE_LOCKED: { status: 423, title: 'Article locked', graphql: 'CONFLICT' },
  REQUEST_TIMEOUT: { status: 408, title: 'Request timeout', graphql: 'BAD_USER_INPUT' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload too large', graphql: 'PAYLOAD_TOO_LARGE' },
  URI_TOO_LONG: { status: 414, title: 'URI too long', graphql: 'BAD_USER_INPUT' },
  HEADERS_TOO_LARGE: {
    status: 431,
    title: 'Request header fields too large',
    graphql: 'PAYLOAD_TOO_LARGE',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    title: 'Unsupported media type',
    graphql: 'UNSUPPORTED_MEDIA_TYPE',
  },
  RATE_LIMITED: { status: 429, title: 'Too many requests', graphql: 'RATE_LIMITED' },
  DATABASE_UNAVAILABLE: {
    status: 503,
    title: 'Service unavailable',
    graphql: 'SERVICE_UNAVAILABLE',
  },
  INTERNAL: { status: 500, title: 'Internal server error', graphql: 'INTERNAL_SERVER_ERROR' },
} as const satisfies Record<string, CatalogEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

export interface FieldError {
  path: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors?: FieldError[],
    /** Extra members for the problem document, such as retryAfter or processedThroughLine. */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  get status(): number {
    return ERROR_CATALOG[this.code].status;
  }

  static validation(errors: FieldError[]): DomainError {
    const detail = errors.map((e) => `${e.path}: ${e.message}`).join('; ');
    return new DomainError('VALIDATION_FAILED', detail, errors);
  }
}
