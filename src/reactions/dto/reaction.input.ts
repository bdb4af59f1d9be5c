import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { CLIENT_ID_MAX } from '../reactions.service';

const CLIENT_ID_DOC =
  'An opaque id of the reader (for example a random id kept in the browser): with one, a reader counts once per article and type. Stored hashed.';

export class ReactInput {
  @ApiProperty({ example: 'veryGood', description: 'One of REACTION_TYPES.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  type!: string;

  @ApiPropertyOptional({ maxLength: CLIENT_ID_MAX, description: CLIENT_ID_DOC })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(CLIENT_ID_MAX)
  clientId?: string;
}

export class UnreactQuery {
  @ApiProperty({ maxLength: CLIENT_ID_MAX, description: 'The clientId the reaction was made with.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(CLIENT_ID_MAX)
  clientId!: string;
}

export class ViewInput {
  @ApiPropertyOptional({ maxLength: CLIENT_ID_MAX, description: CLIENT_ID_DOC })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(CLIENT_ID_MAX)
  clientId?: string;
}
