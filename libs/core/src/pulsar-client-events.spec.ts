import { Logger } from '@nestjs/common';
import { MetricsRegistry } from '@gyre/metrics';
import type { Client, ClientEventName, ClientEvents } from '@gyre/pulsar';
import { PulsarClientEvents } from './pulsar-client-events';

/** A client whose events the test fires by hand. */
function clientFiringByHand() {
  const listeners = new Map<string, (event: unknown) => void>();
  const client = {
    on: (name: string, listener: (event: unknown) => void) => {
      listeners.set(name, listener);
      return () => listeners.delete(name);
    },
  } as unknown as Client;
  const fire = <K extends ClientEventName>(name: K, event: ClientEvents[K]) => listeners.get(name)!(event);
  return { client, fire, listeners };
}

describe(PulsarClientEvents.name, () => {
  afterEach(() => jest.restoreAllMocks());

  it('listens to every client event, and counts each at zero before any happens', async () => {
    const { client, listeners } = clientFiringByHand();
    const metrics = new MetricsRegistry();

    new PulsarClientEvents(client, metrics);

    expect([...listeners.keys()].sort()).toEqual(
      [
        'clusterSwitched',
        'connectionClosed',
        'connectionOpened',
        'lookupRedirected',
        'messageDiscarded',
        'patternDiscovery',
        'protocolError',
        'reconnected',
        'reconnecting',
        'sendError',
      ].sort(),
    );
    expect(await metrics.scrape()).toContain('gyre_pulsar_client_events_total{event="sendError"} 0\n');
  });

  it('counts a send error, a discarded message and a protocol error, and logs each with its fields', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { client, fire } = clientFiringByHand();
    const metrics = new MetricsRegistry();
    new PulsarClientEvents(client, metrics);

    fire('sendError', { topic: 't', producerName: 'p', sequenceId: 7, error: new Error('timed out') });
    fire('messageDiscarded', { topic: 't', subscription: 's', reason: 'checksum' });
    fire('protocolError', { url: 'pulsar://b:6650', error: new Error('bad frame') });
    fire('connectionClosed', {
      url: 'pulsar://b:6650',
      physicalUrl: 'pulsar://b:6650',
      error: new Error('reset'),
    });

    const text = await metrics.scrape();
    for (const event of ['sendError', 'messageDiscarded', 'protocolError', 'connectionClosed'])
      expect(text).toContain(`gyre_pulsar_client_events_total{event="${event}"} 1\n`);
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ msg: 'pulsar send failed', topic: 't', producerName: 'p', sequenceId: 7 }),
    );
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ msg: 'pulsar message discarded', subscription: 's', reason: 'checksum' }),
    );
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ msg: 'pulsar connection closed', error: 'reset' }),
    );
    expect(error).toHaveBeenCalledWith(
      expect.objectContaining({ msg: 'pulsar protocol error', error: 'bad frame' }),
    );
  });

  it('logs a reconnect as the runtimes did (msg, kind, topic, attempt)', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const { client, fire } = clientFiringByHand();
    new PulsarClientEvents(client, new MetricsRegistry());

    fire('reconnecting', { kind: 'consumer', topic: 't', attempt: 2, delayMs: 200, error: new Error('x') });

    expect(warn).toHaveBeenCalledWith({
      msg: 'pulsar reconnecting',
      kind: 'consumer',
      topic: 't',
      attempt: 2,
    });
  });

  it('counts a topics-pattern check and warns when it failed', async () => {
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const { client, fire } = clientFiringByHand();
    const metrics = new MetricsRegistry();
    new PulsarClientEvents(client, metrics);

    fire('patternDiscovery', { pattern: 'orders-.*', added: ['orders-eu'], removed: [] });
    fire('patternDiscovery', {
      pattern: 'orders-.*',
      added: [],
      removed: [],
      error: new Error('lookup failed'),
    });

    expect(await metrics.scrape()).toContain('gyre_pulsar_client_events_total{event="patternDiscovery"} 2\n');
    expect(log).toHaveBeenCalledWith(expect.objectContaining({ pattern: 'orders-.*', added: ['orders-eu'] }));
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ pattern: 'orders-.*', error: 'lookup failed' }),
    );
  });
});
