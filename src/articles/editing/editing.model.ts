import { Field, ID, ObjectType } from '@nestjs/graphql';
import { ApiProperty } from '@nestjs/swagger';

@ObjectType()
export class LockHolder {
  @Field(() => ID) @ApiProperty({ description: "The holder's key id." }) id!: string;
  @Field() @ApiProperty({ description: "The holder's key name." }) name!: string;
}

@ObjectType({ description: 'An edit lease: while it lasts, only its holder may change the article.' })
export class ArticleLock {
  @Field(() => LockHolder) @ApiProperty({ type: LockHolder }) by!: LockHolder;
  @Field()
  @ApiProperty({ format: 'date-time', description: 'Renew by taking the lease again.' })
  until!: string;
}

export class PreviewLink {
  @ApiProperty({ description: 'Shown only in this answer; anyone holding it sees the article.' })
  token!: string;
  @ApiProperty({
    example: '/api/v1/preview/…',
    description: 'Where the preview is read, relative to the server.',
  })
  url!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
}
