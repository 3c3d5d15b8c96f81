import { Module } from '@nestjs/common';
import { StreamsModule } from '@gyre/streams';
import { HttpConsumptionService } from './http-consumption.service';
import { LeaseRelay } from './lease-relay';
import { SubscriptionConsumers } from './subscription-consumers';

/**
 * HTTP consumption for the role that serves it (the API): one Shared consumer per subscription on the
 * process's one Pulsar client; the idle sweeper starts in onModuleInit. Needs GyreCoreModule from the app.
 */
@Module({
  imports: [StreamsModule],
  providers: [SubscriptionConsumers, LeaseRelay, HttpConsumptionService],
  exports: [HttpConsumptionService],
})
export class HttpConsumptionModule {}
