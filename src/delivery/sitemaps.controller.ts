import { Controller, Get, Param, UseInterceptors } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/decorators';
import { DomainError } from '../common/errors/domain-error';
import { Problems } from '../common/errors/problems.decorator';
import { HttpCached } from '../common/http-cache/http-cache.interceptor';
import { DeliveryAnswerInterceptor, deliveryKeys } from './delivery-answer.interceptor';
import type { DeliveryAnswer } from './delivery-cache';
import { parseSitemapFile, SitemapsService } from './sitemaps.service';

@ApiTags('delivery')
@Controller('sitemaps')
export class SitemapsController {
  constructor(private readonly sitemaps: SitemapsService) {}

  @Get(':file')
  @Public()
  @HttpCached(deliveryKeys)
  @UseInterceptors(DeliveryAnswerInterceptor)
  @Problems('ROUTE_NOT_FOUND', 'NOT_FOUND')
  @ApiOperation({
    summary: 'Sitemaps: index.xml, articles-YYYY-MM.xml, news.xml',
    description:
      'index.xml lists news.xml and one sitemap per month of public stories (articles-YYYY-MM.xml, each at most ' +
      '50,000 URLs with their lastmod; a larger month goes on in articles-YYYY-MM-2.xml and so on). news.xml is ' +
      "Google News': the stories published in the last 48 hours, at most 1,000.",
  })
  @ApiOkResponse({
    description: 'The sitemap.',
    content: { 'application/xml': { schema: { type: 'string' } } },
  })
  get(@Param('file') name: string): Promise<DeliveryAnswer> {
    const file = parseSitemapFile(name);
    if (!file)
      throw new DomainError(
        'ROUTE_NOT_FOUND',
        'No such sitemap: index.xml, news.xml or articles-YYYY-MM.xml.',
      );
    return this.sitemaps.sitemap(file);
  }
}
