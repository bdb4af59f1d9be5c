import { Module, type OnModuleDestroy, Inject } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { HeroMediaResolver } from './hero-media.resolver';
import { MediaController } from './media.controller';
import { MediaRepository } from './media.repository';
import { MediaResolver } from './media.resolver';
import { MediaService } from './media.service';
import { LocalMediaStorage } from './storage/local-storage';
import { MEDIA_STORAGE, type MediaStorage } from './storage/media-storage';
import { S3MediaStorage } from './storage/s3-storage';

@Module({
  controllers: [MediaController],
  providers: [
    MediaService,
    MediaRepository,
    MediaResolver,
    HeroMediaResolver,
    {
      provide: MEDIA_STORAGE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): MediaStorage =>
        config.media.storage === 's3'
          ? new S3MediaStorage(config.media.s3)
          : new LocalMediaStorage(config.media.dir),
    },
  ],
  exports: [MediaService],
})
export class MediaModule implements OnModuleDestroy {
  constructor(@Inject(MEDIA_STORAGE) private readonly storage: MediaStorage) {}

  onModuleDestroy(): void {
    if (this.storage instanceof S3MediaStorage) this.storage.destroy();
  }
}
