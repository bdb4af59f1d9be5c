import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../common/auth/actor';
import { CurrentActor, Public, RequireRole } from '../common/auth/decorators';
import { Problems } from '../common/errors/problems.decorator';
import { HttpCached } from '../common/http-cache/http-cache.interceptor';
import { IdOrSlugPipe, type IdOrSlug } from '../common/http/id-or-slug.pipe';
import { CreateSectionInput, UpdateSectionInput } from './dto/section.input';
import { Section, SectionList } from './section.model';
import { SectionsService } from './sections.service';

@ApiTags('sections')
@Controller('sections')
export class SectionsController {
  constructor(private readonly sections: SectionsService) {}

  @Get()
  @Public()
  @HttpCached(() => ['sections'])
  @ApiOkResponse({ type: SectionList })
  async list(): Promise<SectionList> {
    return { data: await this.sections.list() };
  }

  @Get(':idOrSlug')
  @Public()
  @HttpCached((body) => ['sections', `section:${(body as Section).slug}`])
  @Problems('SECTION_NOT_FOUND')
  @ApiOkResponse({ type: Section })
  get(@Param('idOrSlug', IdOrSlugPipe) key: IdOrSlug): Promise<Section> {
    return this.sections.get(key);
  }

  @Post()
  @RequireRole('editor')
  @Problems('UNKNOWN_SECTION', 'SLUG_TAKEN')
  @ApiCreatedResponse({ type: Section })
  create(@Body() input: CreateSectionInput, @CurrentActor() actor: Actor): Promise<Section> {
    return this.sections.create(input, actor);
  }

  @Patch(':idOrSlug')
  @RequireRole('editor')
  @Problems('SECTION_NOT_FOUND', 'UNKNOWN_SECTION', 'SECTION_CYCLE', 'SLUG_TAKEN')
  @ApiOkResponse({ type: Section })
  update(
    @Param('idOrSlug', IdOrSlugPipe) key: IdOrSlug,
    @Body() input: UpdateSectionInput,
    @CurrentActor() actor: Actor,
  ): Promise<Section> {
    return this.sections.update(key, input, actor);
  }

  @Delete(':idOrSlug')
  @RequireRole('editor')
  @HttpCode(204)
  @Problems('SECTION_NOT_FOUND', 'SECTION_NOT_EMPTY')
  @ApiNoContentResponse({ description: 'Deleted; a section with children or articles is 409.' })
  remove(@Param('idOrSlug', IdOrSlugPipe) key: IdOrSlug, @CurrentActor() actor: Actor): Promise<void> {
    return this.sections.remove(key, actor);
  }
}
