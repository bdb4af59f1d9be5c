import { Readable } from 'node:stream';
import { Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiProduces,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../common/auth/actor';
import { CurrentActor, RequireRole } from '../common/auth/decorators';
import { DomainError } from '../common/errors/domain-error';
import { Problems } from '../common/errors/problems.decorator';
import { ExportQuery } from './dto/export.query';
import { ImportQuery } from './dto/import.query';
import { IMPORT_STREAM_TYPES } from './import-body';
import { ImportSummaryModel } from './import.model';
import { ImportService } from './import.service';
import { ExportService } from './export.service';
import { detectFormat, DETECT_FORMAT_BYTES, type ImportFormat } from './parsers';

@ApiTags('imports')
@Controller()
export class ImportsController {
  constructor(
    private readonly imports: ImportService,
    private readonly exports: ExportService,
  ) {}

  @Post('imports')
  @RequireRole('editor')
  @HttpCode(200)
  @ApiConsumes('application/json', ...IMPORT_STREAM_TYPES)
  @ApiBody({
    description:
      'The items: application/json an array of Article inputs, NDJSON one a line, or a feed or export ' +
      '(RSS, Atom, WordPress WXR, IPTC ninjs), told apart by content type and root element.',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiOkResponse({ type: ImportSummaryModel, description: 'Also when some lines failed (see errors).' })
  @ApiServiceUnavailableResponse({
    description: 'The database failed mid-way: `processedThroughLine` says which lines are committed.',
  })
  async import(
    @Req() req: FastifyRequest,
    @Query() query: ImportQuery,
    @CurrentActor() actor: Actor,
  ): Promise<ImportSummaryModel> {
    // Nothing goes over the connection while a whole document is parsed and written, which may
    // take minutes: the idle timeout must not drop an import the server is working on. How long
    // the client may take to send the body is still bounded (requestTimeout).
    const socket = req.raw.socket;
    const idleTimeout = socket.timeout ?? 0;
    socket.setTimeout(0);
    try {
      const { format, source } = await importSource(req);
      return await this.imports.run(source, {
        format,
        dryRun: query.dryRun,
        createSections: query.createSections,
        fetchMedia: query.fetchMedia,
        status: query.status,
        actor,
      });
    } finally {
      // What the import left unread is read by the onSend hook of import-body.ts.
      socket.setTimeout(idleTimeout);
    }
  }

  @Get('exports/articles')
  @RequireRole('editor')
  @ApiProduces('application/x-ndjson')
  @Problems('SECTION_NOT_FOUND')
  @ApiOkResponse({
    description:
      'The import format, streamed. Without filters, the whole site: `"kind": "section"` lines (parents first), one Article input a line (oldest first), then `"kind": "ranking"` lines; imported into an empty database it rebuilds the site. With filters, the selected articles only.',
  })
  async export(@Query() query: ExportQuery, @Res() reply: FastifyReply): Promise<void> {
    const lines = await this.exports.lines(query);
    await reply
      .header('content-type', 'application/x-ndjson; charset=utf-8')
      .header('cache-control', 'private, no-store')
      .send(Readable.from(lines));
  }
}

/** The body as the parsers take it, and its format (from the content type and the first bytes). */
async function importSource(req: FastifyRequest): Promise<{ format: ImportFormat; source: Readable }> {
  const contentType = req.headers['content-type'];
  if (!(req.body instanceof Readable)) {
    // application/json: Fastify has parsed it (within this route's body limit).
    if (!Array.isArray(req.body))
      throw new DomainError('MALFORMED_BODY', 'An application/json import is an array of Article inputs.');
    const items = req.body as unknown[];
    return {
      format: 'json',
      source: Readable.from([JSON.stringify(items)]),
    };
  }
  const { head, rest } = await peek(req.body, DETECT_FORMAT_BYTES);
  const format = detectFormat(contentType, head);
  if (!format) {
    throw new DomainError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Cannot import ${contentType ?? 'this body'}: the XML root is not rss (RSS or WordPress WXR) or feed (Atom).`,
    );
  }
  return { format, source: rest };
}

/** The leading bytes (up to `bytes`), and the whole body again as a stream. */
async function peek(stream: Readable, bytes: number): Promise<{ head: Buffer; rest: Readable }> {
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const chunks: Buffer[] = [];
  let total = 0;
  let done = false;
  while (total < bytes) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    chunks.push(next.value);
    total += next.value.length;
  }
  async function* all() {
    yield* chunks;
    if (done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return {
    head: Buffer.concat(chunks).subarray(0, bytes),
    rest: Readable.from(all(), { objectMode: false }),
  };
}
