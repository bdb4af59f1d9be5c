import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { cleanInline, cleanText } from '../articles/body/inline';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/auth/actor';
import { CacheInvalidation } from '../common/cache/cache-invalidation';
import { DomainError } from '../common/errors/domain-error';
import { decodeCursor, encodeCursor } from '../common/pagination/cursor';
import { APP_CONFIG, type AppConfig, type MediaConfig } from '../config/config';
import type { FetchMediaInput, ListMediaQuery, MediaFieldsInput, UpdateMediaInput } from './dto/media.input';
import { FOCAL_POINT_PATTERN } from './dto/media.input';
import { readImage } from './image-reader';
import { ImageFormat, type Media, type MediaList } from './media.model';
import { MediaRepository, type MediaPatch, type MediaRow } from './media.repository';
import { fetchRemoteImage } from './remote-image';
import {
  checkWidth,
  cropRegion,
  defaultRenditionUrl,
  makeRendition,
  outputSize,
  parseRenditionName,
  renditionName,
  renditionUrl,
  renditionVersion,
  RENDITION_MIME_TYPES,
  type Ratio,
  type RenditionSource,
  type RenditionSpec,
} from './renditions';
import { MEDIA_STORAGE, type MediaStorage } from './storage/media-storage';

/**
 * What a Media answer was made from, kept beside it for GraphQL's src and srcset. A symbol key:
 * JSON never shows it, so the content hash stays out of REST answers.
 */
export const RENDITION_SOURCE = Symbol('renditionSource');
export type MediaWithSource = Media & { [RENDITION_SOURCE]: RenditionSource };

export interface Rendition {
  bytes: Buffer;
  contentType: string;
}

const VERSION_PATTERN = /^[0-9a-f]{16}$/;
const originalKey = (id: string) => `originals/${id}`;
const renditionKey = (id: string, version: string, name: string) => `renditions/${id}/${version}/${name}`;

@Injectable()
export class MediaService {
  private readonly media: MediaConfig;
  /** Renditions being made right now, so a burst of first requests makes each only once. */
  private readonly making = new Map<string, Promise<Buffer>>();

  constructor(
    private readonly repository: MediaRepository,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(MEDIA_STORAGE) private readonly storage: MediaStorage,
    private readonly invalidation: CacheInvalidation,
    private readonly audit: AuditService,
  ) {
    this.media = config.media;
  }

  /** An uploaded file: read once, stored, described. */
  async upload(
    bytes: Buffer,
    fields: MediaFieldsInput,
    actor: Actor,
    sourceUrl?: string,
  ): Promise<MediaWithSource> {
    const image = await readImage(bytes, this.media.maxPixels);
    const focal = parseFocalPoint(fields.focalPoint);
    const id = randomUUID();
    await this.storage.put(originalKey(id), bytes, image.mimeType);
    try {
      const row = await this.repository.transaction(async (m) => {
        const inserted = await this.repository.insert(
          {
            id,
            mimeType: image.mimeType,
            width: image.width,
            height: image.height,
            bytes: image.bytes,
            contentHash: image.contentHash,
            // What the editor wrote wins; what they left empty comes from the photo's own fields.
            alt: cleanText(fields.alt ?? ''),
            caption: inlineOrNull(fields.caption) ?? inlineOrNull(image.caption),
            credit: inlineOrNull(fields.credit) ?? inlineOrNull(image.credit),
            copyright: textOrNull(fields.copyright) ?? textOrNull(image.copyright),
            focalX: focal?.x ?? 0.5,
            focalY: focal?.y ?? 0.5,
            takenAt: image.takenAt,
            placeholder: image.placeholder,
            sourceUrl: sourceUrl ?? null,
          },
          m,
        );
        await this.audit.record(m, actor, {
          action: 'media.create',
          entityType: 'media',
          entityId: id,
          summary: sourceUrl
            ? `fetched a ${image.width} × ${image.height} ${image.mimeType} from ${sourceUrl}`
            : `uploaded a ${image.width} × ${image.height} ${image.mimeType}`,
        });
        return inserted;
      });
      return this.toModel(row);
    } catch (err) {
      await this.storage.deletePrefix(originalKey(id)).catch(() => undefined);
      throw err;
    }
  }

  /** An image fetched from a URL, then handled as an upload. */
  async fetchAndStore(input: FetchMediaInput, actor: Actor): Promise<MediaWithSource> {
    const bytes = await fetchRemoteImage(input.url, {
      maxBytes: this.media.maxBytes,
      timeoutMs: this.media.fetchTimeoutMs,
      allowPrivate: this.media.fetchAllowPrivateUrls,
    });
    const { url, ...fields } = input;
    return this.upload(bytes, fields, actor, url);
  }

  /**
   * The library's picture from this URL: the one fetched before (an import run again), else
   * fetched now. What an import uses for fetchMedia=true.
   */
  async fetchOnce(input: FetchMediaInput, actor: Actor): Promise<MediaWithSource> {
    const known = await this.repository.findBySourceUrl(input.url);
    return known ? this.toModel(known) : this.fetchAndStore(input, actor);
  }

  async get(id: string): Promise<MediaWithSource> {
    const found = await this.find(id);
    if (!found) throw notFound(id);
    return found;
  }

  async findMany(ids: readonly string[]): Promise<MediaWithSource[]> {
    return ids.length ? (await this.repository.findByIds(ids)).map((row) => this.toModel(row)) : [];
  }

  async find(id: string): Promise<MediaWithSource | null> {
    const row = await this.repository.findById(id);
    return row ? this.toModel(row) : null;
  }

  async list(query: ListMediaQuery): Promise<MediaList> {
    const limit = query.limit ?? 20;
    const after = query.cursor ? decodeCursor(query.cursor, 't', 'cursor') : undefined;
    const q = query.q?.trim() || undefined;
    const rows = await this.repository.list({ q, after, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: page.map((row) => this.toModel(row)),
      page: {
        limit,
        nextCursor:
          rows.length > limit && last ? encodeCursor('t', { key: last.createdKey, id: last.id }) : null,
      },
    };
  }

  async update(id: string, input: UpdateMediaInput, actor: Actor): Promise<MediaWithSource> {
    const before = await this.repository.findById(id);
    if (!before) throw notFound(id);
    const patch: MediaPatch = {};
    if (input.alt !== undefined) patch.alt = cleanText(input.alt ?? '');
    if (input.caption !== undefined) patch.caption = inlineOrNull(input.caption);
    if (input.credit !== undefined) patch.credit = inlineOrNull(input.credit);
    if (input.copyright !== undefined) patch.copyright = textOrNull(input.copyright);
    const focal = parseFocalPoint(input.focalPoint);
    if (focal) {
      patch.focalX = focal.x;
      patch.focalY = focal.y;
    }
    const row = await this.repository.transaction(async (m) => {
      const updated = await this.repository.update(id, patch, m);
      if (updated)
        await this.audit.record(m, actor, {
          action: 'media.update',
          entityType: 'media',
          entityId: id,
          summary: `changed ${Object.keys(patch).join(', ') || 'nothing'}`,
        });
      return updated;
    });
    if (!row) throw notFound(id);
    // Articles show its URL, size, alt, caption and credit: their cached answers are stale now.
    this.invalidation.articlesChanged(await this.repository.articlesUsing(id));
    const oldVersion = renditionVersion(sourceOf(before));
    if (renditionVersion(sourceOf(row)) !== oldVersion)
      // The old URLs now answer 404; what was made for them is of no more use.
      await this.storage.deletePrefix(`renditions/${id}/${oldVersion}/`);
    return this.toModel(row);
  }

  async remove(id: string, force: boolean, actor: Actor): Promise<void> {
    const users = force ? await this.repository.articlesUsing(id) : [];
    const result = await this.repository.deleteUnlessUsed(id, force, (m) =>
      this.audit.record(m, actor, {
        action: 'media.delete',
        entityType: 'media',
        entityId: id,
        summary: users.length ? `deleted it, used by ${users.length} article(s) (forced)` : 'deleted it',
      }),
    );
    this.invalidation.articlesChanged(users);
    if (result.outcome === 'missing') throw notFound(id);
    if (result.outcome === 'in-use')
      throw new DomainError(
        'MEDIA_IN_USE',
        `Articles use this media (${result.slugs.join(', ')}); take it out of them first, or delete with force=true.`,
        undefined,
        { articles: result.slugs },
      );
    await this.storage.deletePrefix(`renditions/${id}/`);
    await this.storage.deletePrefix(originalKey(id));
  }

  /**
   * One rendition's bytes: from the store when it was made before (without a database read: its
   * key names the version), else made from the original now and kept. A version that is not the
   * picture's current one is not found.
   */
  async rendition(id: string, version: string, name: string): Promise<Rendition> {
    if (!VERSION_PATTERN.test(version))
      throw new DomainError(
        'MEDIA_NOT_FOUND',
        'There is no such rendition (the picture changed or is gone).',
      );
    const spec = parseRenditionName(name);
    if (!spec)
      throw DomainError.validation([
        {
          path: 'name',
          message: 'must be <width>.<avif|webp|jpg> or <width>-<ratio>.<ext>, e.g. 640-16x9.webp',
        },
      ]);
    checkWidth(spec.width, this.media.widths);
    const key = renditionKey(id, version, renditionName(spec));
    const contentType = RENDITION_MIME_TYPES[spec.format];
    const kept = await this.storage.get(key);
    if (kept) return { bytes: kept, contentType };
    let making = this.making.get(key);
    if (!making) {
      making = this.make(id, version, spec, key).finally(() => this.making.delete(key));
      this.making.set(key, making);
    }
    return { bytes: await making, contentType };
  }

  private async make(id: string, version: string, spec: RenditionSpec, key: string): Promise<Buffer> {
    const row = await this.repository.findById(id);
    if (!row || renditionVersion(sourceOf(row)) !== version)
      throw new DomainError(
        'MEDIA_NOT_FOUND',
        'There is no such rendition (the picture changed or is gone).',
      );
    const original = await this.storage.get(originalKey(id));
    if (!original)
      throw new DomainError('MEDIA_NOT_FOUND', 'The original of this media is missing from the store.');
    const bytes = await makeRendition(original, sourceOf(row), spec, this.media.maxPixels);
    await this.storage.put(key, bytes, RENDITION_MIME_TYPES[spec.format]);
    return bytes;
  }

  /** The URL of one rendition; a width off the allowed list is refused. */
  src(
    media: MediaWithSource,
    width: number,
    format: ImageFormat = ImageFormat.JPEG,
    ratio: Ratio | null = null,
  ): string {
    checkWidth(width, this.media.widths);
    return renditionUrl(media[RENDITION_SOURCE], { width, format, ratio });
  }

  /**
   * An HTML srcset: a rendition at every allowed width the picture (or its crop) fills, each
   * described by the width it really has (a picture is never enlarged, so a small one gets only
   * the smallest width, at its own size).
   */
  srcset(media: MediaWithSource, format: ImageFormat = ImageFormat.JPEG, ratio: Ratio | null = null): string {
    return this.srcsetOf(media[RENDITION_SOURCE], format, ratio);
  }

  private srcsetOf(source: RenditionSource, format: ImageFormat, ratio: Ratio | null): string {
    const region = cropRegion(source, ratio);
    const fitting = this.media.widths.filter((w) => w <= region.width);
    const widths = fitting.length > 0 ? fitting : [this.media.widths[0]];
    return widths
      .map((width) => {
        const spec = { width, format, ratio };
        return `${renditionUrl(source, spec)} ${outputSize(region, spec).width}w`;
      })
      .join(', ');
  }

  private toModel(row: MediaRow): MediaWithSource {
    const source = sourceOf(row);
    return {
      id: row.id,
      kind: row.kind,
      mimeType: row.mimeType,
      width: row.width,
      height: row.height,
      bytes: Number(row.bytes),
      alt: row.alt,
      caption: row.caption,
      credit: row.credit,
      copyright: row.copyright,
      focalPoint: { x: row.focalX, y: row.focalY },
      takenAt: row.takenAt,
      placeholder: row.placeholder,
      url: defaultRenditionUrl(source, this.media.widths),
      srcset: this.srcsetOf(source, ImageFormat.JPEG, null),
      createdAt: row.createdAt,
      [RENDITION_SOURCE]: source,
    };
  }
}

function sourceOf(row: MediaRow): RenditionSource {
  return {
    id: row.id,
    contentHash: row.contentHash,
    width: row.width,
    height: row.height,
    focalX: row.focalX,
    focalY: row.focalY,
  };
}

function notFound(id: string): DomainError {
  return new DomainError('MEDIA_NOT_FOUND', `No media with id ${id}.`);
}

function parseFocalPoint(raw: string | undefined | null): { x: number; y: number } | null {
  if (raw === undefined || raw === null) return null;
  const m = FOCAL_POINT_PATTERN.exec(raw);
  if (!m)
    throw DomainError.validation([{ path: 'focalPoint', message: 'must be "x,y" with each from 0 to 1' }]);
  return { x: Number(m[1]), y: Number(m[2]) };
}

function inlineOrNull(v: string | null | undefined): string | null {
  const cleaned = v ? cleanInline(v) : '';
  return cleaned ? cleaned : null;
}

function textOrNull(v: string | null | undefined): string | null {
  const cleaned = v ? cleanText(v) : '';
  return cleaned ? cleaned : null;
}
