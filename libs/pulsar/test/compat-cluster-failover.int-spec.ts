import { AddressInfo, Server, Socket, connect, createServer } from 'node:net';
import { testEndpoints, uniqueTopic, waitFor } from '../../../tools/testing';
import { Client, ClientEvents, InvalidArgumentError } from '../src';

/**
 * A stand-in primary cluster: a TCP forwarder to the stack's broker that the test stops and starts again
 * on the same port. Lookups through it reach the real broker; stopping it is the primary going down.
 */
class Forwarder {
  /** Connections that carried Pulsar traffic (the failover's TCP probes connect and send nothing). */
  served = 0;
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  get url(): string {
    return `pulsar://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = createServer((inbound) => {
      inbound.once('data', () => this.served++);
      const outbound = connect(this.target);
      for (const socket of [inbound, outbound]) {
        this.sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => {
          this.sockets.delete(socket);
          inbound.destroy();
          outbound.destroy();
        });
      }
      inbound.pipe(outbound).pipe(inbound);
    });
    await new Promise<void>((listening) => server.listen(this.port, '127.0.0.1', listening));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((closed) => this.server?.close(closed));
  }
}

/** serviceUrlProvider (the official AutoClusterFailover) on the real broker (`npm run test:compat`). */
describe('Client serviceUrlProvider (automatic cluster failover)', () => {
  const broker = new URL(testEndpoints().pulsarServiceUrl);
  const brokerUrl = `pulsar://${broker.hostname}:${broker.port}`;
  let forwarder: Forwarder;
  let client: Client;
  const switches: Array<ClientEvents['clusterSwitched']> = [];

  beforeEach(async () => {
    forwarder = new Forwarder({ host: broker.hostname, port: Number(broker.port) });
    await forwarder.start();
    switches.length = 0;
  });
  afterEach(async () => {
    await client?.close();
    await forwarder.stop();
  });

  it('moves to the secondary when the primary stops answering, keeps producing, and switches back', async () => {
    client = new Client({
      serviceUrlProvider: {
        primary: forwarder.url,
        secondary: [brokerUrl],
        checkIntervalMs: 50,
        failoverThreshold: 1,
        switchBackThreshold: 1,
      },
      backoff: { initialMs: 50, maxMs: 1000 },
    });
    client.on('clusterSwitched', (event) => switches.push(event));
    const topic = uniqueTopic('failover');
    const consumer = await client.subscribe({
      topic,
      subscription: 'sub',
      subscriptionInitialPosition: 'Earliest',
    });
    const producer = await client.createProducer({ topic, batchingEnabled: false });
    await producer.send({ data: Buffer.from('on primary') });
    expect(forwarder.served).toBeGreaterThan(0); // the lookups went through the primary

    await forwarder.stop();
    await waitFor(() => switches.length === 1, { description: 'the switch to the secondary' });
    expect(switches[0]).toEqual({ from: forwarder.url, to: brokerUrl });
    await producer.send({ data: Buffer.from('on secondary') });
    const received = [await consumer.receive(30_000), await consumer.receive(30_000)];
    expect(received.map((message) => message.getData().toString())).toEqual(['on primary', 'on secondary']);

    const before = forwarder.served;
    await forwarder.start();
    await waitFor(() => switches.length === 2, { description: 'the switch back to the primary' });
    expect(switches[1]).toEqual({ from: brokerUrl, to: forwarder.url });
    await client.createProducer({ topic: uniqueTopic('failover-back'), batchingEnabled: false });
    expect(forwarder.served).toBeGreaterThan(before);
  });

  it('refuses serviceUrl together with serviceUrlProvider, and a provider without secondary', () => {
    const provider = { primary: brokerUrl, secondary: [brokerUrl] };
    expect(() => new Client({ serviceUrl: brokerUrl, serviceUrlProvider: provider })).toThrow(
      InvalidArgumentError,
    );
    expect(() => new Client({ serviceUrlProvider: { primary: brokerUrl, secondary: [] } })).toThrow(
      /serviceUrlProvider.secondary/,
    );
  });
});
