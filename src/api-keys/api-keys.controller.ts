import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../common/auth/actor';
import { CurrentActor, RequireRole } from '../common/auth/decorators';
import { UuidPipe } from '../common/http/id-or-slug.pipe';
import { ApiKeyList, CreatedApiKey } from './api-key.model';
import { ApiKeysService } from './api-keys.service';
import { CreateApiKeyInput } from './dto/create-api-key.input';
import { Problems } from '../common/errors/problems.decorator';

@ApiTags('api-keys')
@RequireRole('admin')
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @ApiCreatedResponse({ type: CreatedApiKey, description: 'The secret is in `key`, this once.' })
  create(@Body() input: CreateApiKeyInput, @CurrentActor() actor: Actor): Promise<CreatedApiKey> {
    return this.apiKeys.create(input.name, input.role, actor);
  }

  @Get()
  @ApiOkResponse({ type: ApiKeyList })
  async list(): Promise<ApiKeyList> {
    return { data: await this.apiKeys.list() };
  }

  @Delete(':id')
  @HttpCode(204)
  @Problems('API_KEY_NOT_FOUND')
  @ApiNoContentResponse({ description: 'Revoked: the key stops working at once.' })
  revoke(@Param('id', UuidPipe) id: string, @CurrentActor() actor: Actor): Promise<void> {
    return this.apiKeys.revoke(id, actor);
  }
}
