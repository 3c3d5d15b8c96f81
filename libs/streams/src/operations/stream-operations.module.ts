import { Module } from '@nestjs/common';
import { StorageModule } from '@gyre/storage';
import { DeadLetterRedriver } from '../dead-letters/dead-letter-redrive';
import { DeadLetterTopics } from '../dead-letters/dead-letter-topics';
import { NamespacePolicyService } from '../namespace/namespace-policies';
import { StreamStorage } from '../storage-tiers/stream-storage';
import { StreamsModule } from '../streams.module';
import { StreamConnections } from './stream-connections';
import { StreamTopics } from './stream-topics';
import { SubscriptionOperations } from './subscription-operations';

/**
 * Operators' work on streams (subscriptions, dead letters, storage tiers, connections, namespace
 * policies), for the API's /admin endpoints. Needs GyreConfigModule and DatabaseModule from the app.
 */
@Module({
  imports: [StreamsModule, StorageModule],
  providers: [
    StreamTopics,
    SubscriptionOperations,
    StreamConnections,
    DeadLetterTopics,
    DeadLetterRedriver,
    StreamStorage,
    NamespacePolicyService,
  ],
  exports: [
    SubscriptionOperations,
    StreamConnections,
    DeadLetterTopics,
    DeadLetterRedriver,
    StreamStorage,
    NamespacePolicyService,
  ],
})
export class StreamOperationsModule {}
