import { uniqueTopic } from '../../../tools/testing';
import { rmSync } from 'node:fs';
import { Client, ClientConfig, TlsError } from '../src';
import { PrivateBroker, freeBrokerPorts } from '../../../tools/testing/private-broker';
import { TestCertificates, makeCertificates } from './security-fixtures';

describe('pulsar+ssl:// against a broker serving TLS with a certificate from a private CA', () => {
  let certs: TestCertificates;
  let broker: PrivateBroker;
  const clients: Client[] = [];
  const newClient = (tls: Partial<ClientConfig>): Client => {
    const client = new Client({
      serviceUrl: broker.serviceUrlTls,
      operationTimeoutSeconds: 10,
      backoff: { initialMs: 50, maxMs: 500 },
      ...tls,
    });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    certs = makeCertificates();
    broker = await PrivateBroker.start(await freeBrokerPorts({ tls: true }), {
      extraConfig: {
        tlsCertificateFilePath: certs.brokerCert,
        tlsKeyFilePath: certs.brokerKey,
        tlsTrustCertsFilePath: certs.caCert,
      },
    });
  }, 240_000);
  afterAll(async () => {
    await broker?.stop({ wipe: true });
    if (certs) rmSync(certs.dir, { recursive: true, force: true });
  }, 60_000);
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });

  it('looks up, produces and consumes over TLS when the CA is trusted (host name checked)', async () => {
    const client = newClient({ tlsTrustCertsFilePath: certs.caCert });
    const opened: string[] = [];
    client.on('connectionOpened', (event) => opened.push(event.url));
    const topic = uniqueTopic('tls-ok');
    const consumer = await client.subscribe({ topic, subscription: 'sub' });
    const producer = await client.createProducer({ topic, compressionType: 'LZ4' });
    await producer.send({ data: Buffer.from('over tls') });
    const message = await consumer.receive(10_000);
    expect(message.getData().toString()).toBe('over tls');
    expect(opened.length).toBeGreaterThan(0);
    expect(opened.every((url) => url.startsWith('pulsar+ssl://'))).toBe(true);
  });

  it.each([
    ['no CA (the system roots)', {}],
    ['another CA', { useOther: true }],
  ])(
    'refuses the broker with a non-retriable TlsError when trusting %s',
    async (_, { useOther }: { useOther?: boolean }) => {
      const client = newClient({
        tlsTrustCertsFilePath: useOther ? certs.otherCaCert : undefined,
        operationTimeoutSeconds: 30,
      });
      const started = Date.now();
      await expect(client.createProducer({ topic: uniqueTopic('tls-untrusted') })).rejects.toMatchObject({
        name: TlsError.name,
        code: 'TLS_ERROR',
        retriable: false,
      });
      // Retried as if transient, it would fail only at the 30 s operation timeout; half of that leaves
      // room for a loaded machine.
      expect(Date.now() - started).toBeLessThan(15_000);
    },
  );

  it('connects without verification only when tlsAllowInsecureConnection is set', async () => {
    const client = newClient({ tlsAllowInsecureConnection: true });
    const topic = uniqueTopic('tls-insecure');
    const producer = await client.createProducer({ topic });
    expect((await producer.send({ data: Buffer.from('x') })).ledgerId).toBeGreaterThanOrEqual(0n);
  });
});
