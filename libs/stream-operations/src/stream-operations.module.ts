import { Module } from '@nestjs/common';
import { StorageModule } from '@gyre/storage';
import { DeadLetterRedriver } from './dead-letters/dead-letter-redrive';
import { DeadLetterTopics } from './dead-letters/dead-letter-topics';
import { NamespacePolicyService } from './namespace-policies/namespace-policies';
import { StreamStorage } from './storage-tiers/stream-storage';
import { StreamTiers } from './storage-tiers/stream-tiers';
import { StreamsModule } from '@gyre/streams';
import { StreamConnections } from './operations/stream-connections';
import { NewestEvents } from './operations/newest-events';
import { StreamTopics } from './operations/stream-topics';
import { SubscriptionOperations } from './operations/subscription-operations';
import { StreamSamples } from './samples/stream-samples';

/**
 * Operators' work on streams (subscriptions, dead letters, storage tiers, connections, namespace
 * policies), for the API's /admin endpoints. Needs GyreConfigModule and DatabaseModule from the app.
 */
@Module({
  imports: [StreamsModule, StorageModule],
  providers: [
    StreamTopics,
    SubscriptionOperations,
    NewestEvents,
    StreamConnections,
    DeadLetterTopics,
    DeadLetterRedriver,
    StreamStorage,
    StreamTiers,
    NamespacePolicyService,
    StreamSamples,
  ],
  exports: [
    SubscriptionOperations,
    NewestEvents,
    StreamConnections,
    DeadLetterTopics,
    DeadLetterRedriver,
    StreamStorage,
    StreamTiers,
    NamespacePolicyService,
    StreamSamples,
  ],
})
export class StreamOperationsModule {}
