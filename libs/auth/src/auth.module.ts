import { Module } from '@nestjs/common';
import { GyreConfig } from '@gyre/config';
import { DataSource } from 'typeorm';
import { ApiKeyService } from './api-key/api-key.service';
import { ApiKeyRateLimiter } from './rate-limit/api-key-rate-limiter';

/** API keys and their rate limits for a Nest process. Needs GyreConfigModule and DatabaseModule. */
@Module({
  providers: [
    {
      provide: ApiKeyService,
      inject: [DataSource, GyreConfig],
      useFactory: (dataSource: DataSource, config: GyreConfig) =>
        new ApiKeyService(dataSource, config.auth.keyCacheTtlMs),
    },
    {
      provide: ApiKeyRateLimiter,
      inject: [GyreConfig],
      useFactory: (config: GyreConfig) => new ApiKeyRateLimiter(config.auth),
    },
  ],
  exports: [ApiKeyService, ApiKeyRateLimiter],
})
export class AuthModule {}
