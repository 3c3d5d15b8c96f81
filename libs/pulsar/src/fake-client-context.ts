import { ClientContext } from './client-context';
import { CommandType } from './codec/protocol';
import { Connection } from './connection/connection';
import { FakeBroker, fakeConnection } from './connection/fake-broker';
import { Instrumentation } from './events';
import { LookupService } from './lookup/lookup-service';
import { BackoffOptions } from './retry';

export interface FakeClient {
  context: ClientContext;
  connection: Connection;
}

/**
 * For producer and consumer unit tests: a client context whose first lookup returns a live connection to
 * `broker`; later lookups (reconnects) return it too, or call `reconnect` when given.
 */
export async function fakeClientContext(
  broker: FakeBroker,
  {
    backoff = { initialMs: 5, maxMs: 20 },
    reconnect,
  }: { backoff?: BackoffOptions; reconnect?: () => Promise<Connection> } = {},
): Promise<FakeClient> {
  const connection = fakeConnection(broker);
  await connection.connect();
  let lookups = 0;
  const lookup = {
    connectionFor: async () => (lookups++ === 0 || !reconnect ? connection : reconnect()),
  } as unknown as LookupService;
  const context: ClientContext = {
    lookup,
    instrumentation: new Instrumentation(),
    backoff,
    operationTimeoutMs: 1000,
    newProducerId: () => 1,
    newConsumerId: () => 1,
  };
  return { context, connection };
}

/** Makes `broker` answer PRODUCER with PRODUCER_SUCCESS and nothing else (no send receipts). */
export function acceptProducers(broker: FakeBroker): void {
  broker.onCommand = (command) => {
    if (command.type === CommandType.PRODUCER)
      broker.send({
        type: CommandType.PRODUCER_SUCCESS,
        producer_success: { request_id: command.producer!.request_id, producer_name: 'p' },
      });
  };
}
