import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../common/auth/actor';
import { CurrentActor, Public, RequireRole } from '../common/auth/decorators';
import { Problems } from '../common/errors/problems.decorator';
import { UuidPipe } from '../common/http/id-or-slug.pipe';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { DeleteMediaQuery, FetchMediaInput, ListMediaQuery, UpdateMediaInput } from './dto/media.input';
import { readUpload, validFields } from './media-body';
import { Media, MediaList } from './media.model';
import { MediaService } from './media.service';

@ApiTags('media')
@ApiExtraModels(FetchMediaInput)
@Controller('media')
export class MediaController {
  constructor(
    private readonly media: MediaService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @RequireRole('editor')
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({
    description:
      "A form with the image as `file` (JPEG, PNG, WebP, AVIF or GIF, told by its bytes) and optional `alt`, `caption`, `credit`, `copyright`, `focalPoint`; or JSON with the `url` of an image to fetch. Fields left empty are filled from the photo's IPTC, XMP and EXIF fields.",
    schema: {
      oneOf: [
        {
          type: 'object',
          required: ['file'],
          properties: {
            file: { type: 'string', format: 'binary' },
            alt: { type: 'string' },
            caption: { type: 'string' },
            credit: { type: 'string' },
            copyright: { type: 'string' },
            focalPoint: { type: 'string', example: '0.5,0.33' },
          },
        },
        { $ref: getSchemaPath(FetchMediaInput) },
      ],
    },
  })
  @Problems(
    'PAYLOAD_TOO_LARGE',
    'UNSUPPORTED_MEDIA_TYPE',
    'IMAGE_UNREADABLE',
    'IMAGE_TOO_MANY_PIXELS',
    'MEDIA_FETCH_FAILED',
  )
  @ApiCreatedResponse({ type: Media })
  async upload(@Req() req: FastifyRequest, @CurrentActor() actor: Actor): Promise<Media> {
    if (req.isMultipart()) {
      const upload = await readUpload(req, this.config.media.maxBytes);
      return this.media.upload(upload.bytes, upload.fields, actor);
    }
    return this.media.fetchAndStore(await validFields(req.body, FetchMediaInput), actor);
  }

  @Get()
  @RequireRole('editor')
  @ApiOkResponse({ type: MediaList, description: 'Newest first.' })
  list(@Query() query: ListMediaQuery): Promise<MediaList> {
    return this.media.list(query);
  }

  @Get(':id')
  @Public()
  @Problems('MEDIA_NOT_FOUND')
  @ApiOkResponse({ type: Media })
  get(@Param('id', UuidPipe) id: string): Promise<Media> {
    return this.media.get(id);
  }

  @Patch(':id')
  @RequireRole('editor')
  @Problems('MEDIA_NOT_FOUND')
  @ApiOkResponse({ type: Media })
  update(
    @Param('id', UuidPipe) id: string,
    @Body() input: UpdateMediaInput,
    @CurrentActor() actor: Actor,
  ): Promise<Media> {
    return this.media.update(id, input, actor);
  }

  @Delete(':id')
  @RequireRole('editor')
  @HttpCode(204)
  @Problems('MEDIA_NOT_FOUND', 'MEDIA_IN_USE')
  @ApiNoContentResponse({
    description: 'Deleted with its renditions; 409 while an article uses it, unless force=true.',
  })
  remove(
    @Param('id', UuidPipe) id: string,
    @Query() query: DeleteMediaQuery,
    @CurrentActor() actor: Actor,
  ): Promise<void> {
    return this.media.remove(id, query.force === 'true', actor);
  }

  @Get(':id/renditions/:version/:name')
  @Public()
  @Problems('MEDIA_NOT_FOUND')
  @ApiProduces('image/avif', 'image/webp', 'image/jpeg')
  @ApiOkResponse({
    description:
      'A rendition, made on first request and kept; the URL changes when the picture or its focal point does, so it is cached for a year (immutable).',
    schema: { type: 'string', format: 'binary' },
  })
  async rendition(
    @Param('id', UuidPipe) id: string,
    @Param('version') version: string,
    @Param('name') name: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const rendition = await this.media.rendition(id, version, name);
    await reply
      .header('content-type', rendition.contentType)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .send(rendition.bytes);
  }
}
