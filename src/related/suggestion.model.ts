import { Field, ObjectType } from '@nestjs/graphql';
import { ApiProperty } from '@nestjs/swagger';
import type { ArticleRecord } from '../articles/article-reader.service';
import { Article, ArticleSummary } from '../articles/article.model';

export const RELATED_REASONS = ['editor-pick', 'shared-tags', 'same-section', 'similar-text'] as const;
export const RECOMMENDATION_REASONS = [
  'readers-also-read',
  'related',
  'popular-in-section',
  'popular',
] as const;

@ObjectType({ description: 'An article suggested under another one, with why.' })
export class Suggestion {
  @Field({
    description: `Related: ${RELATED_REASONS.join(', ')}. Recommendations: ${RECOMMENDATION_REASONS.join(', ')}.`,
  })
  @ApiProperty({ enum: [...RELATED_REASONS, ...RECOMMENDATION_REASONS] })
  reason!: string;

  @Field(() => Article) @ApiProperty({ type: ArticleSummary }) article!: ArticleSummary | ArticleRecord;
}

export class SuggestionList {
  @ApiProperty({ type: [Suggestion] }) data!: Suggestion[];
}
