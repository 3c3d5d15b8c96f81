import { Module } from '@nestjs/common';
import { GyreConfig } from '@gyre/config';
import { ApiKeyService } from './api-key/api-key.service';
import { ApiKeyRateLimiter } from './rate-limit/api-key-rate-limiter';

/** API keys and their rate limits for a Nest process. Needs GyreConfigModule and DatabaseModule. */
@Module({
  providers: [
    ApiKeyService,
    {
      provide: ApiKeyRateLimiter,
      inject: [GyreConfig],
      useFactory: (config: GyreConfig) => new ApiKeyRateLimiter(config.auth),
    },
  ],
  exports: [ApiKeyService, ApiKeyRateLimiter],
})
export class AuthModule {}
