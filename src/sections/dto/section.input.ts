import { Field, InputType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { SLUG_MAX, SLUG_PATTERN } from '../../common/http/id-or-slug.pipe';

const SLUG_MESSAGE = 'must be lower-case letters, digits and single hyphens';

@InputType()
export class CreateSectionInput {
  @Field()
  @ApiProperty({ example: 'asia-pacific', maxLength: SLUG_MAX })
  @IsString()
  @MaxLength(SLUG_MAX)
  @Matches(SLUG_PATTERN, { message: `slug ${SLUG_MESSAGE}` })
  slug!: string;

  @Field()
  @ApiProperty({ example: 'Asia-Pacific', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string | null;

  @Field(() => String, { nullable: true, description: "The parent's slug; omit or null for a root." })
  @ApiPropertyOptional({ type: String, nullable: true, example: 'world' })
  @IsOptional()
  @IsString()
  @Matches(SLUG_PATTERN, { message: `parent ${SLUG_MESSAGE}` })
  parent?: string | null;
}

@InputType()
export class UpdateSectionInput {
  @Field({ nullable: true })
  @ApiPropertyOptional({ maxLength: SLUG_MAX })
  @IsOptional()
  @IsString()
  @MaxLength(SLUG_MAX)
  @Matches(SLUG_PATTERN, { message: `slug ${SLUG_MESSAGE}` })
  slug?: string;

  @Field({ nullable: true })
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string | null;

  @Field(() => String, { nullable: true, description: "The new parent's slug; null makes it a root." })
  @ApiPropertyOptional({ type: String, nullable: true })
  @ValidateIf((_, v) => v !== null)
  @IsOptional()
  @IsString()
  @Matches(SLUG_PATTERN, { message: `parent ${SLUG_MESSAGE}` })
  parent?: string | null;
}
