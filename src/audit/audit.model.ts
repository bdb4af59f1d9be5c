import { Field, ID, ObjectType } from '@nestjs/graphql';
import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '../common/auth/role';

export const ACTOR_TYPES = ['key', 'user', 'system'] as const;

@ObjectType()
export class AuditActor {
  @Field(() => String, { description: '`key`, `user` or `system`.' })
  @ApiProperty({
    enum: ACTOR_TYPES,
    description:
      '`key`: an API key; `user`: a signed-in person; `system`: the command line or the server itself.',
  })
  type!: (typeof ACTOR_TYPES)[number];

  @Field(() => ID, { nullable: true })
  @ApiProperty({ type: String, nullable: true, description: "The key's (or user's) id; null for `system`." })
  id!: string | null;

  @Field()
  @ApiProperty({ description: "The key's name at the time." })
  name!: string;

  @Field(() => String, { nullable: true })
  @ApiProperty({ enum: ROLES, nullable: true, type: String })
  role!: Role | null;
}

@ObjectType({ description: 'One stored change: who made it, with which request, and what it was.' })
export class AuditEntry {
  @Field(() => ID) @ApiProperty() id!: string;
  @Field() @ApiProperty({ format: 'date-time' }) at!: string;
  @Field(() => AuditActor) @ApiProperty({ type: AuditActor }) actor!: AuditActor;

  @Field()
  @ApiProperty({
    example: 'article.update',
    description: '`<entity>.<verb>`, e.g. `article.publish`, `article.lock.break`, `api-key.create`.',
  })
  action!: string;

  @Field() @ApiProperty({ example: 'article' }) entityType!: string;
  @Field() @ApiProperty() entityId!: string;

  @Field(() => String, { nullable: true })
  @ApiProperty({ type: String, nullable: true, description: 'The X-Request-Id of the request that made it.' })
  requestId!: string | null;

  @Field()
  @ApiProperty({ description: 'What changed, in a line.' })
  summary!: string;
}

export class AuditPageInfo {
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next (older) page.' })
  nextCursor!: string | null;
  @ApiProperty() limit!: number;
}

export class AuditList {
  @ApiProperty({ type: [AuditEntry], description: 'Newest first.' }) data!: AuditEntry[];
  @ApiProperty({ type: AuditPageInfo }) page!: AuditPageInfo;
}
