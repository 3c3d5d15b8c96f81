import { Instrumentation } from './events';
import { LookupService } from './lookup/lookup-service';
import { BackoffOptions } from './retry';

/** What producers, consumers and readers need from their client, and nothing more. */
export interface ClientContext {
  readonly lookup: LookupService;
  readonly instrumentation: Instrumentation;
  readonly backoff: BackoffOptions;
  readonly operationTimeoutMs: number;
  newProducerId(): number;
  newConsumerId(): number;
}
