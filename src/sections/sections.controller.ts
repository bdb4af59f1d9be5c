import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Public, RequireRole } from '../common/auth/decorators';
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
  @ApiOkResponse({ type: Section })
  get(@Param('idOrSlug', IdOrSlugPipe) key: IdOrSlug): Promise<Section> {
    return this.sections.get(key);
  }

  @Post()
  @RequireRole('editor')
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: Section })
  create(@Body() input: CreateSectionInput): Promise<Section> {
    return this.sections.create(input);
  }

  @Patch(':idOrSlug')
  @RequireRole('editor')
  @ApiBearerAuth()
  @ApiOkResponse({ type: Section })
  update(
    @Param('idOrSlug', IdOrSlugPipe) key: IdOrSlug,
    @Body() input: UpdateSectionInput,
  ): Promise<Section> {
    return this.sections.update(key, input);
  }

  @Delete(':idOrSlug')
  @RequireRole('editor')
  @ApiBearerAuth()
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(@Param('idOrSlug', IdOrSlugPipe) key: IdOrSlug): Promise<void> {
    return this.sections.remove(key);
  }
}
