import { Module } from '@nestjs/common';
import { ArticlesModule } from '../articles/articles.module';
import { MediaModule } from '../media/media.module';
import { OutboxService } from '../webhooks/outbox.service';
import { SectionsModule } from '../sections/sections.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { ExportService } from './export.service';
import { IMPORT_EVENTS } from './import-events';
import { ImportRepository } from './import.repository';
import { ImportService } from './import.service';
import { ImportsController } from './imports.controller';

/** Imports and exports: POST /imports, GET /exports/articles, and the command line's import/export. */
@Module({
  imports: [ArticlesModule, WebhooksModule, SectionsModule, MediaModule],
  controllers: [ImportsController],
  providers: [
    ImportService,
    ExportService,
    ImportRepository,
    { provide: IMPORT_EVENTS, useExisting: OutboxService },
  ],
  exports: [ImportService, ExportService],
})
export class ImportsModule {}
