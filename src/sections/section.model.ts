import { Field, ID, ObjectType } from '@nestjs/graphql';
import { ApiProperty } from '@nestjs/swagger';

@ObjectType({ description: 'A section, as named in breadcrumbs and article headers.' })
export class SectionRef {
  @Field(() => ID) @ApiProperty({ format: 'uuid' }) id!: string;
  @Field() @ApiProperty({ example: 'asia-pacific' }) slug!: string;
  @Field() @ApiProperty({ example: 'Asia-Pacific' }) name!: string;
}

@ObjectType({ description: 'A section of the site; sections form a tree.' })
export class Section {
  @Field(() => ID) @ApiProperty({ format: 'uuid' }) id!: string;
  @Field() @ApiProperty({ example: 'asia-pacific' }) slug!: string;
  @Field() @ApiProperty({ example: 'Asia-Pacific' }) name!: string;
  @Field(() => String, { nullable: true })
  @ApiProperty({ type: String, nullable: true })
  description!: string | null;

  @Field(() => String, { nullable: true, description: "The parent section's slug; null for a root." })
  @ApiProperty({ type: String, nullable: true, example: 'world' })
  parent!: string | null;

  @Field(() => [SectionRef], { description: 'From the root down to this section itself.' })
  @ApiProperty({ type: [SectionRef] })
  breadcrumb!: SectionRef[];

  @Field(() => [Section])
  @ApiProperty({ type: () => [Section], description: 'Child sections, each with its own children.' })
  children!: Section[];
}

export class SectionList {
  @ApiProperty({ type: [Section], description: 'The root sections, each with its children.' })
  data!: Section[];
}
