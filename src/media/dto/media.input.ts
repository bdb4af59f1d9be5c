import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsPageSize } from '../../common/pagination/page-size';

/** `"x,y"`, each from 0 to 1: 0,0 is the top left corner. */
export const FOCAL_POINT_PATTERN = /^\s*(0(?:\.\d+)?|1(?:\.0+)?)\s*,\s*(0(?:\.\d+)?|1(?:\.0+)?)\s*$/;
const FOCAL_POINT_MESSAGE = 'focalPoint must be "x,y" with each from 0 to 1';

/** The editor's fields of a media item; any left out is filled from the photo's own metadata. */
export class MediaFieldsInput {
  @ApiPropertyOptional({ maxLength: 1000, description: 'Text (no markup).' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  alt?: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 2000, description: 'Inline HTML.' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  caption?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500, description: 'Inline HTML.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  credit?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500, description: 'Text (no markup).' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  copyright?: string | null;

  @ApiPropertyOptional({ example: '0.5,0.33', description: '"x,y", each from 0 to 1; default the centre.' })
  @IsOptional()
  @IsString()
  @Matches(FOCAL_POINT_PATTERN, { message: FOCAL_POINT_MESSAGE })
  focalPoint?: string;
}

/** `POST /media` with a JSON body: the image is fetched from `url`. */
export class FetchMediaInput extends MediaFieldsInput {
  @ApiProperty({ example: 'https://images.example.com/harbour.jpg', maxLength: 2000 })
  @IsString()
  @MaxLength(2000)
  url!: string;
}

/** `PATCH /media/{id}`: null clears a field (alt becomes empty). */
export class UpdateMediaInput extends MediaFieldsInput {}

/** `GET /media` query parameters. */
export class ListMediaQuery {
  @ApiPropertyOptional({ maxLength: 200, description: 'Words to find in the caption, credit or alt text.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsPageSize()
  limit?: number;

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  cursor?: string;
}

/** `DELETE /media/{id}` query parameters. */
export class DeleteMediaQuery {
  @ApiPropertyOptional({ description: 'Delete even when articles use it (they keep a broken reference).' })
  @IsOptional()
  @Type(() => String)
  @IsIn(['true', 'false'], { message: 'force must be true or false' })
  force?: string;
}
