import { Controller, Get, Param, Query, UseInterceptors } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/decorators';
import { DomainError } from '../common/errors/domain-error';
import { Problems } from '../common/errors/problems.decorator';
import { HttpCached } from '../common/http-cache/http-cache.interceptor';
import { SLUG_PATTERN } from '../common/http/slug';
import type { DeliveryAnswer } from './delivery-cache';
import { DeliveryAnswerInterceptor, deliveryKeys } from './delivery-answer.interceptor';
import { FeedQuery } from './dto/feed.query';
import { FEED_FORMATS, FEED_KINDS, FeedsService, type FeedFormat, type FeedKind } from './feeds.service';

/** The 200 answer: XML as text, JSON Feed as its object. */
const FEED_ANSWER = {
  description: 'The feed.',
  content: {
    'application/rss+xml': { schema: { type: 'string' as const } },
    'application/atom+xml': { schema: { type: 'string' as const } },
    'application/feed+json': {
      schema: {
        type: 'object' as const,
        required: ['version', 'title', 'items'],
        properties: {
          version: { type: 'string' as const, const: 'https://jsonfeed.org/version/1.1' },
          title: { type: 'string' as const },
          items: { type: 'array' as const, items: { type: 'object' as const } },
        },
      },
    },
  },
};
const FEED_DESCRIPTION =
  'The newest 50 public stories, newest first: RSS 2.0 (`.rss`), Atom 1.0 (`.atom`) or JSON Feed 1.1 (`.json`). ' +
  'Summaries unless `full=true`; hero images as enclosures.';

/** `name.ext` of a feed's file, or a 404 like any unknown route. */
function feedFile(file: string): { slug: string; format: FeedFormat } {
  const m = /^(.+)\.([a-z]+)$/.exec(file);
  const format = m?.[2] as FeedFormat | undefined;
  if (!m || !format || !FEED_FORMATS.includes(format) || !SLUG_PATTERN.test(m[1]))
    throw new DomainError('ROUTE_NOT_FOUND', 'No such feed: a feed is SLUG.rss, SLUG.atom or SLUG.json.');
  return { slug: m[1], format };
}

@ApiTags('delivery')
@Controller('feeds')
export class FeedsController {
  constructor(private readonly feeds: FeedsService) {}

  @Get(':file')
  @Public()
  @HttpCached(deliveryKeys)
  @UseInterceptors(DeliveryAnswerInterceptor)
  @Problems('VALIDATION_FAILED', 'ROUTE_NOT_FOUND')
  @ApiOperation({
    summary: 'The latest stories: latest.rss, latest.atom or latest.json',
    description: FEED_DESCRIPTION,
  })
  @ApiOkResponse(FEED_ANSWER)
  latest(@Param('file') file: string, @Query() query: FeedQuery): Promise<DeliveryAnswer> {
    const { slug, format } = feedFile(file);
    if (slug !== 'latest') throw new DomainError('ROUTE_NOT_FOUND', 'No such feed: try latest.rss.');
    return this.feeds.feed({ format, full: query.full === 'true', locale: query.locale });
  }

  @Get(':kind/:file')
  @Public()
  @HttpCached(deliveryKeys)
  @UseInterceptors(DeliveryAnswerInterceptor)
  @Problems('VALIDATION_FAILED', 'ROUTE_NOT_FOUND', 'SECTION_NOT_FOUND', 'NOT_FOUND')
  @ApiOperation({
    summary: "A section's (with its descendants), a tag's or an author's stories: e.g. section/world.rss",
    description: `${FEED_DESCRIPTION} An author is the slug of a byline (min-ji-park for "Min-ji Park").`,
  })
  @ApiOkResponse(FEED_ANSWER)
  of(
    @Param('kind') kind: string,
    @Param('file') file: string,
    @Query() query: FeedQuery,
  ): Promise<DeliveryAnswer> {
    if (!FEED_KINDS.includes(kind as FeedKind))
      throw new DomainError('ROUTE_NOT_FOUND', 'No such feed: feeds are by section, tag or author.');
    const { slug, format } = feedFile(file);
    return this.feeds.feed({
      kind: kind as FeedKind,
      slug,
      format,
      full: query.full === 'true',
      locale: query.locale,
    });
  }
}
