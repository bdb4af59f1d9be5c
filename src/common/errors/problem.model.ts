import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ProblemFieldError {
  @ApiProperty({ example: 'title', description: 'The field, dotted for nested ones (`body.0.text`).' })
  path!: string;
  @ApiProperty({ example: 'title must be shorter than or equal to 300 characters' }) message!: string;
}

/**
 * RFC 9457 problem document: every REST error answer, with `application/problem+json`. Other
 * members may join for a particular problem type; clients should ignore those they do not know.
 */
export class Problem {
  @ApiProperty({
    format: 'uri',
    example: 'https://dateline.dev/problems/article-not-found',
    description: 'Names the problem; one per error code, so clients can tell them apart.',
  })
  type!: string;
  @ApiProperty({ example: 'Article not found' }) title!: string;
  @ApiProperty({ type: 'integer', example: 404, description: 'The HTTP status, repeated.' }) status!: number;
  @ApiProperty({ example: 'No such article.', description: 'What went wrong in this case, for people.' })
  detail!: string;
  @ApiPropertyOptional({ type: [ProblemFieldError], description: 'Each invalid field of the input.' })
  errors?: ProblemFieldError[];
  @ApiPropertyOptional({ type: 'integer', description: 'Seconds to wait before trying again (429, 503).' })
  retryAfter?: number;
  @ApiPropertyOptional({
    type: 'integer',
    description: 'Imports cut short by the database (503): lines up to this one are committed.',
  })
  processedThroughLine?: number;
}
