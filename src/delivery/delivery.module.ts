import { Module } from '@nestjs/common';
import { ArticlesModule } from '../articles/articles.module';
import { DeliveryAnswerInterceptor } from './delivery-answer.interceptor';
import { DeliveryCache } from './delivery-cache';
import { DeliveryRepository } from './delivery.repository';
import { FeedsController } from './feeds.controller';
import { FeedsService } from './feeds.service';
import { SitemapsController } from './sitemaps.controller';
import { SitemapsService } from './sitemaps.service';

/** Delivery to the open web: article URLs, feeds, sitemaps and structured data. */
@Module({
  imports: [ArticlesModule],
  controllers: [FeedsController, SitemapsController],
  providers: [FeedsService, SitemapsService, DeliveryRepository, DeliveryCache, DeliveryAnswerInterceptor],
})
export class DeliveryModule {}
