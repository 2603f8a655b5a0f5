// One error type for the whole mesh; it leaves every service as a google.rpc.Status with details.
import * as grpc from '@grpc/grpc-js';
import { Status } from '../../gen/google/rpc/status.ts';
import { BadRequest, BadRequest_FieldViolation, ErrorInfo } from '../../gen/google/rpc/error_details.ts';

export const ERROR_DOMAIN = 'ruqsat.kz';
export const DETAILS_KEY = 'grpc-status-details-bin';
const TYPE_PREFIX = 'type.googleapis.com/';

export interface FieldViolation {
  field: string;
  description: string;
}

export class RuqsatError extends Error {
  constructor(
    readonly code: grpc.status,
    /** UPPER_SNAKE_CASE reason, stable for clients to switch on. */
    readonly reason: string,
    message: string,
    readonly metadata: Record<string, string> = {},
    readonly violations: FieldViolation[] = [],
  ) {
    super(message);
    this.name = 'RuqsatError';
  }
}

export const invalidArgument = (violations: FieldViolation[]): RuqsatError =>
  new RuqsatError(
    grpc.status.INVALID_ARGUMENT,
    'INVALID_ARGUMENT',
    violations.map((v) => `${v.field}: ${v.description}`).join('; '),
    {},
    violations,
  );

export const notFound = (resource: string): RuqsatError =>
  new RuqsatError(grpc.status.NOT_FOUND, 'NOT_FOUND', `${resource} not found`, { resource });

export const unavailable = (reason: string, message: string): RuqsatError =>
  new RuqsatError(grpc.status.UNAVAILABLE, reason, message);

// Connection-level failures of PostgreSQL, PGlite or the pool: the caller may retry later.
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', '57P01', '57P02', '57P03']);
const UNAVAILABLE_TEXT = /Connection terminated|connection is closed|PGlite is closed|Timeout acquiring a connection|Unable to acquire a connection|Client has encountered a connection error|The client is closed/i;

export function isUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
  if (err instanceof AggregateError && err.errors.some(isUnavailable)) return true;
  return UNAVAILABLE_TEXT.test(err.message);
}

/** Any thrown value as a RuqsatError; internals are not leaked to the caller. */
// PostgreSQL refuses a NUL character in text (22021 invalid byte sequence, 22P05 untranslatable character).
const TEXT_REFUSED = new Set(['22021', '22P05']);

export function toRuqsatError(err: unknown): RuqsatError {
  if (err instanceof RuqsatError) return err;
  if (isUnavailable(err)) return unavailable('DATABASE_UNAVAILABLE', 'the service database is unavailable; retry later');
  // A field no format check caught: the database refused the text, and its transaction changed nothing.
  if (TEXT_REFUSED.has((err as { code?: string } | null)?.code ?? '')) return new RuqsatError(grpc.status.INVALID_ARGUMENT, 'INVALID_TEXT', 'a text field holds a character the service cannot store (NUL)');
  return new RuqsatError(grpc.status.INTERNAL, 'INTERNAL', 'internal error');
}

export function encodeStatusDetails(err: RuqsatError): Buffer {
  const details = [
    {
      typeUrl: TYPE_PREFIX + 'google.rpc.ErrorInfo',
      value: Buffer.from(ErrorInfo.encode({ reason: err.reason, domain: ERROR_DOMAIN, metadata: err.metadata }).finish()),
    },
  ];
  if (err.violations.length > 0) {
    const fieldViolations = err.violations.map((v) => BadRequest_FieldViolation.fromPartial(v));
    details.push({
      typeUrl: TYPE_PREFIX + 'google.rpc.BadRequest',
      value: Buffer.from(BadRequest.encode({ fieldViolations }).finish()),
    });
  }
  return Buffer.from(Status.encode({ code: err.code, message: err.message, details }).finish());
}

/** The error as grpc-js sends it: code, message, and the Status in the trailers. */
export function toServiceError(err: RuqsatError, requestId?: string): Partial<grpc.ServiceError> {
  const metadata = new grpc.Metadata();
  if (requestId) err.metadata.request_id ??= requestId;
  metadata.set(DETAILS_KEY, encodeStatusDetails(err));
  return { code: err.code, details: err.message, metadata };
}

export interface DecodedStatus {
  code: number;
  message: string;
  errorInfo?: ErrorInfo;
  fieldViolations: FieldViolation[];
}

/** Reads the google.rpc.Status a call failed with; for clients and tests. */
export function decodeStatusDetails(metadata: grpc.Metadata | undefined): DecodedStatus | undefined {
  const raw = metadata?.get(DETAILS_KEY)[0];
  if (!raw || typeof raw === 'string') return undefined;
  const status = Status.decode(raw);
  const out: DecodedStatus = { code: status.code, message: status.message, fieldViolations: [] };
  for (const any of status.details) {
    if (any.typeUrl === TYPE_PREFIX + 'google.rpc.ErrorInfo') out.errorInfo = ErrorInfo.decode(any.value);
    if (any.typeUrl === TYPE_PREFIX + 'google.rpc.BadRequest') out.fieldViolations = BadRequest.decode(any.value).fieldViolations;
  }
  return out;
}
