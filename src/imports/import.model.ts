import { ApiProperty } from '@nestjs/swagger';

export class ImportLineErrorModel {
  @ApiProperty({ description: '1-based line (NDJSON) or item number.' })
  line!: number;

  @ApiProperty({ type: String, nullable: true })
  externalId!: string | null;

  @ApiProperty()
  message!: string;
}

/** The answer of `POST /imports`, also when some lines failed. */
export class ImportSummaryModel {
  @ApiProperty()
  dryRun!: boolean;

  @ApiProperty()
  created!: number;

  @ApiProperty()
  updated!: number;

  @ApiProperty()
  unchanged!: number;

  @ApiProperty({ description: 'Items that are not articles by design (WordPress pages, ninjs pictures…).' })
  skipped!: number;

  @ApiProperty()
  failed!: number;

  @ApiProperty({ type: [ImportLineErrorModel] })
  errors!: ImportLineErrorModel[];

  @ApiProperty({
    type: [ImportLineErrorModel],
    description:
      'Lines imported otherwise than they read, e.g. a password-protected WordPress post imported as a draft.',
  })
  notes!: ImportLineErrorModel[];
}
