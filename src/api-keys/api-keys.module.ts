import { Module } from '@nestjs/common';
import { KEY_VERIFIER } from '../common/auth/key-verifier';
import { ApiKeyRepository } from './api-key.repository';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';

@Module({
  controllers: [ApiKeysController],
  providers: [ApiKeysService, ApiKeyRepository, { provide: KEY_VERIFIER, useExisting: ApiKeysService }],
  // KEY_VERIFIER: the global auth guard (common/auth) checks bearer keys with it.
  exports: [ApiKeysService, KEY_VERIFIER],
})
export class ApiKeysModule {}
