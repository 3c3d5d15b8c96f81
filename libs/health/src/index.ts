export { DatabaseHealthIndicator } from './database.health';
export { HealthController } from './health.controller';
export { HealthModule } from './health.module';
export { PulsarHealthIndicator } from './pulsar.health';
export { S3HealthIndicator } from './s3.health';
