import { Module } from '@nestjs/common';
import { GyreConfig } from '@gyre/config';
import { S3Storage } from './s3-storage';

/** Provides S3Storage; needs GyreConfigModule imported by the app. */
@Module({
  providers: [
    {
      provide: S3Storage,
      inject: [GyreConfig],
      useFactory: (config: GyreConfig) => new S3Storage(config.s3),
    },
  ],
  exports: [S3Storage],
})
export class StorageModule {}
