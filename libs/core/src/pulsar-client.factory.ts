import { GyreConfig } from '@gyre/config';
import { AuthenticationToken, Client } from '@gyre/pulsar';

/**
 * The process's one Pulsar client, from the validated configuration. The operation timeout stays at the
 * client's 30 s: readers and the redrive consumer wait that long for a topic's transaction buffer to
 * recover, while ingestion and HTTP consumption bound their own waits by INGEST_SEND_TIMEOUT_MS.
 */
export function createPulsarClient(config: GyreConfig): Client {
  const { serviceUrl, authToken } = config.pulsar;
  return new Client({
    serviceUrl,
    authentication: authToken ? new AuthenticationToken({ token: authToken }) : undefined,
    operationTimeoutSeconds: 30,
    connectionTimeoutMs: Math.min(10_000, config.ingest.sendTimeoutMs),
  });
}
