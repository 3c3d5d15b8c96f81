import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { ENV_FILE_PATHS } from './env-files';
import { GyreConfig } from './gyre-config';
import { parseGyreConfig } from './parse-gyre-config';

const GYRE_CONFIG_KEY = 'gyre';

/** Validates the configuration once, at boot, and makes GyreConfig injectable everywhere. */
@Module({})
export class GyreConfigModule {
  static forRoot(): DynamicModule {
    return {
      module: GyreConfigModule,
      global: true,
      imports: [
        ConfigModule.forRoot({
          envFilePath: [...ENV_FILE_PATHS],
          cache: true,
          // Returned nested under one key so @nestjs/config copies nothing back into process.env.
          validate: (raw) => ({ [GYRE_CONFIG_KEY]: parseGyreConfig(raw) }),
        }),
      ],
      providers: [
        {
          provide: GyreConfig,
          inject: [ConfigService],
          useFactory: (config: ConfigService) => config.getOrThrow<GyreConfig>(GYRE_CONFIG_KEY),
        },
      ],
      exports: [GyreConfig],
    };
  }
}
