import multipart from '@fastify/multipart';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../common/errors/domain-error';
import { createValidationPipe } from '../common/http/validation';
import { MediaFieldsInput } from './dto/media.input';

/** The route that takes uploads (with the global prefix). */
export const MEDIA_UPLOAD_ROUTE = '/api/v1/media';

/** What a multipart form may hold besides the file: the few fields, each short. */
const FORM_LIMITS = { files: 1, fields: 10, parts: 12, fieldSize: 10_000, headerPairs: 100 };

const isUploadRoute = (req: FastifyRequest) =>
  req.routeOptions?.url === MEDIA_UPLOAD_ROUTE && req.method === 'POST';
const isMultipart = (req: FastifyRequest) =>
  /^multipart\/form-data\b/i.test(req.headers['content-type'] ?? '');

/**
 * Call before the routes are registered (before app.init()). The upload route takes bodies up to
 * MEDIA_MAX_BYTES (plus room for the form around the file) instead of 1 MiB; multipart bodies are
 * read by @fastify/multipart on that route alone and stay 415 everywhere else, as before.
 */
export async function registerMediaBodies(app: NestFastifyApplication, maxBytes: number): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRoute', (route) => {
    if (route.url === MEDIA_UPLOAD_ROUTE) route.bodyLimit = maxBytes + 64 * 1024;
  });
  await app.register(multipart, {
    limits: { ...FORM_LIMITS, fileSize: maxBytes },
    throwFileSizeLimit: true,
  });
  fastify.addHook('preParsing', (req, _reply, payload, done) => {
    if (isMultipart(req) && !isUploadRoute(req)) {
      done(
        Object.assign(new Error(`Unsupported media type ${req.headers['content-type']}`), {
          statusCode: 415,
          code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
        }),
      );
      return;
    }
    const declared = Number(req.headers['content-length']);
    if (isUploadRoute(req) && Number.isFinite(declared) && declared > maxBytes + 64 * 1024) {
      done(tooLarge(maxBytes));
      return;
    }
    done(null, payload);
  });
  // A form refused part-way (a file over the limit, a wrong key) leaves the rest of the body
  // unread, and a keep-alive connection would wait for it before the client's next request:
  // read it to the end, as the imports route does.
  fastify.addHook('onSend', (req, _reply, payload, done) => {
    if (isMultipart(req) && !req.raw.readableEnded) {
      req.raw.unpipe();
      req.raw.resume();
    }
    done(null, payload);
  });
}

function tooLarge(maxBytes: number): DomainError {
  return new DomainError('PAYLOAD_TOO_LARGE', `An image is limited to ${maxBytes} bytes (MEDIA_MAX_BYTES).`);
}

export interface Upload {
  bytes: Buffer;
  fields: MediaFieldsInput;
}

const pipe = createValidationPipe();

/** The fields of a form or a JSON body, through the same validation as every other input. */
export async function validFields<T extends object>(value: unknown, type: new () => T): Promise<T> {
  return (await pipe.transform(value ?? {}, { type: 'body', metatype: type })) as T;
}

/** Reads a multipart upload: the `file` part into memory (at most maxBytes) and the text fields. */
export async function readUpload(req: FastifyRequest, maxBytes: number): Promise<Upload> {
  let bytes: Buffer | null = null;
  const fields: Record<string, string> = {};
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file')
          throw DomainError.validation([
            { path: part.fieldname, message: 'is not a known field; send the image as file' },
          ]);
        bytes = await part.toBuffer();
      } else {
        if (typeof part.value !== 'string')
          throw DomainError.validation([{ path: part.fieldname, message: 'must be text' }]);
        fields[part.fieldname] = part.value;
      }
    }
  } catch (err) {
    throw formError(err, maxBytes);
  }
  if (!bytes || bytes.length === 0) throw DomainError.validation([{ path: 'file', message: 'is required' }]);
  return { bytes, fields: await validFields(fields, MediaFieldsInput) };
}

function formError(err: unknown, maxBytes: number): DomainError {
  if (err instanceof DomainError) return err;
  const code = (err as { code?: string }).code ?? '';
  switch (code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return tooLarge(maxBytes);
    case 'FST_FILES_LIMIT':
      return DomainError.validation([{ path: 'file', message: 'only one file may be sent' }]);
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return new DomainError('VALIDATION_FAILED', 'The form has more fields than an upload takes.');
    case 'FST_PROTO_VIOLATION':
      return DomainError.validation([{ path: '__proto__', message: 'is not a known field' }]);
    default:
      return new DomainError('MALFORMED_BODY', 'The multipart form could not be read.');
  }
}
