import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { StorageModule } from '@gyre/storage';
import { DatabaseHealthIndicator } from './database.health';
import { HealthController } from './health.controller';
import { PulsarHealthIndicator } from './pulsar.health';
import { S3HealthIndicator } from './s3.health';

/** GET /health for both apps; needs GyreConfigModule and DatabaseModule imported by the app. */
@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' }), StorageModule],
  controllers: [HealthController],
  providers: [PulsarHealthIndicator, DatabaseHealthIndicator, S3HealthIndicator],
})
export class HealthModule {}
