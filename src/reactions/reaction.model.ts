import { ApiProperty } from '@nestjs/swagger';

export class ReactionTypeCount {
  @ApiProperty({ example: 'veryGood' }) type!: string;
  @ApiProperty({ example: 62 }) count!: number;
}

/** GET /articles/{idOrSlug}/reactions: every configured type, 0 included. */
export class ReactionList {
  @ApiProperty({ format: 'uuid' }) articleId!: string;
  @ApiProperty({ type: [ReactionTypeCount] }) reactions!: ReactionTypeCount[];
}
