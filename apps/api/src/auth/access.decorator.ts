import { SetMetadata } from '@nestjs/common';

export const ACCESS_METADATA = 'gyre:access';

/**
 * Who may call an endpoint, read by ApiKeyGuard. Secure by default: an endpoint without one of these
 * decorators needs an admin key (so every /admin endpoint, and any endpoint someone forgets to mark).
 */
export type EndpointAccess =
  | { kind: 'public' }
  | { kind: 'stream'; role: 'producer' | 'consumer'; streamParam: string }
  | { kind: 'read'; streamParam?: string };

/** No API key needed (health probes). */
export const Public = () => SetMetadata(ACCESS_METADATA, { kind: 'public' } satisfies EndpointAccess);

/** Producer keys whose scope holds the stream named by the route parameter `streamParam` (admins too). */
export const ProducerEndpoint = (streamParam = 'stream') =>
  SetMetadata(ACCESS_METADATA, { kind: 'stream', role: 'producer', streamParam } satisfies EndpointAccess);

/**
 * Consumer keys whose scope holds the stream named by the route parameter `streamParam` (admins too):
 * for the HTTP pull, ack and nack endpoints, e.g. `@ConsumerEndpoint()` on
 * `POST v1/streams/:stream/subscriptions/:sub/messages:pull`.
 */
export const ConsumerEndpoint = (streamParam = 'stream') =>
  SetMetadata(ACCESS_METADATA, { kind: 'stream', role: 'consumer', streamParam } satisfies EndpointAccess);

/**
 * Read-only endpoints open to every role (the console's pages for any key): a stream named by the route
 * parameter `streamParam`, when given, must be in the key's scope.
 */
export const ReaderEndpoint = (streamParam?: string) =>
  SetMetadata(ACCESS_METADATA, { kind: 'read', streamParam } satisfies EndpointAccess);
