import { Module } from '@nestjs/common';
import { SectionRepository } from './section.repository';
import { SectionsController } from './sections.controller';
import { SectionsResolver } from './sections.resolver';
import { SectionsService } from './sections.service';

@Module({
  controllers: [SectionsController],
  providers: [SectionsService, SectionRepository, SectionsResolver],
  exports: [SectionsService],
})
export class SectionsModule {}
