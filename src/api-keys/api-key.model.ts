import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '../common/auth/role';

export class ApiKey {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastUsedAt!: string | null;
}

export class CreatedApiKey extends ApiKey {
  @ApiProperty({ description: 'The secret. Shown only in this answer; store it now.' })
  key!: string;
}

export class ApiKeyList {
  @ApiProperty({ type: [ApiKey] }) data!: ApiKey[];
}
