import { Injectable, Logger } from '@nestjs/common';
import { MetricsRegistry } from '@gyre/metrics';
import { Client, ClientEventName } from '@gyre/pulsar';

// A record, not a list: a client event added to libs/pulsar without a line here fails the type check.
const EVENT_NAMES: Record<ClientEventName, true> = {
  connectionOpened: true,
  connectionClosed: true,
  reconnecting: true,
  reconnected: true,
  sendError: true,
  messageDiscarded: true,
  protocolError: true,
  patternDiscovery: true,
  clusterSwitched: true,
  lookupRedirected: true,
};
const EVENTS = Object.keys(EVENT_NAMES) as ClientEventName[];

/**
 * Turns every event of the process's Pulsar client into one structured log line and one count of
 * gyre_pulsar_client_events_total{event}: the one place a client event becomes observable.
 */
@Injectable()
export class PulsarClientEvents {
  private readonly logger = new Logger('PulsarClient');

  constructor(client: Client, metrics: MetricsRegistry) {
    const counter = metrics.counter({
      name: 'gyre_pulsar_client_events_total',
      help: "Events of the process's Pulsar client (connections, reconnects, send errors, discarded messages, protocol errors, topics-pattern checks, cluster switches, lookup redirects).",
      labelNames: ['event'],
    });
    for (const event of EVENTS) counter.inc({ event }, 0);
    client.on('connectionOpened', (e) => {
      counter.inc({ event: 'connectionOpened' });
      this.logger.debug({ msg: 'pulsar connection opened', url: e.url, serverVersion: e.serverVersion });
    });
    client.on('connectionClosed', (e) => {
      counter.inc({ event: 'connectionClosed' });
      const fields = { msg: 'pulsar connection closed', url: e.url, error: e.error?.message };
      if (e.error) this.logger.warn(fields);
      else this.logger.log(fields);
    });
    client.on('reconnecting', (e) => {
      counter.inc({ event: 'reconnecting' });
      this.logger.warn({ msg: 'pulsar reconnecting', kind: e.kind, topic: e.topic, attempt: e.attempt });
    });
    client.on('reconnected', (e) => {
      counter.inc({ event: 'reconnected' });
      this.logger.log({ msg: 'pulsar reconnected', kind: e.kind, topic: e.topic, attempt: e.attempt });
    });
    client.on('sendError', (e) => {
      counter.inc({ event: 'sendError' });
      this.logger.warn({
        msg: 'pulsar send failed',
        topic: e.topic,
        producerName: e.producerName,
        sequenceId: e.sequenceId,
        error: e.error.message,
      });
    });
    client.on('messageDiscarded', (e) => {
      counter.inc({ event: 'messageDiscarded' });
      this.logger.warn({
        msg: 'pulsar message discarded',
        topic: e.topic,
        subscription: e.subscription,
        reason: e.reason,
        error: e.error?.message,
      });
    });
    client.on('patternDiscovery', (e) => {
      counter.inc({ event: 'patternDiscovery' });
      const fields = {
        msg: 'pulsar topics pattern checked',
        pattern: e.pattern,
        added: e.added,
        removed: e.removed,
      };
      if (e.error) this.logger.warn({ ...fields, error: e.error.message });
      else this.logger.log(fields);
    });
    client.on('clusterSwitched', (e) => {
      counter.inc({ event: 'clusterSwitched' });
      this.logger.warn({ msg: 'pulsar client switched cluster', from: e.from, to: e.to });
    });
    client.on('lookupRedirected', (e) => {
      counter.inc({ event: 'lookupRedirected' });
      this.logger.debug({ msg: 'pulsar lookup redirected', topic: e.topic, from: e.from, to: e.to });
    });
    client.on('protocolError', (e) => {
      counter.inc({ event: 'protocolError' });
      this.logger.error({ msg: 'pulsar protocol error', url: e.url, error: e.error.message });
    });
  }
}
