import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceDir } from './paths';
import { brokerConfiguration, brokerHealthy, pulsarBrokerProcess } from './pulsar-broker';
import { readStackSettings } from './settings';

describe(pulsarBrokerProcess.name, () => {
  const settings = readStackSettings({}, {});
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gyre-broker-spec-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("runs the stack's own broker under .data/pulsar with the bookie on its default port", () => {
    const service = pulsarBrokerProcess('java', settings);
    expect(service.name).toBe('pulsar');
    expect(service.cwd).toBe(serviceDir('pulsar'));
    expect(service.args).not.toContain('--bookkeeper-port');
  });

  it('runs a private instance in its own directory with its own name, bookie port and extra configuration', () => {
    const ports = { ...settings, pulsar: { ...settings.pulsar, brokerPort: 6652, webPort: 8082 } };
    const service = pulsarBrokerProcess('java', ports, {
      name: 'pulsar-private',
      dir,
      bookkeeperPort: 3182,
      extraConfig: { brokerDeduplicationEnabled: 'true' },
    });
    expect(service).toMatchObject({ name: 'pulsar-private', cwd: dir, pidFile: join(dir, 'pid') });
    expect(service.args.slice(-2)).toEqual(['--bookkeeper-port', '3182']);
    expect(service.args).toContain(join(dir, 'data', 'metadata'));
    const conf = readFileSync(join(dir, 'standalone.conf'), 'utf8');
    expect(conf).toMatch(/^brokerServicePort=6652$/m);
    expect(conf).toMatch(/^webServicePort=8082$/m);
    expect(conf).toMatch(/^brokerDeduplicationEnabled=true$/m);
  });
});

describe(brokerConfiguration.name, () => {
  it('appends extra keys after the generated ones so that they win over standalone.conf', () => {
    const conf = brokerConfiguration(readStackSettings({}, {}), '/tmp/x', { authenticationEnabled: 'true' });
    expect(conf.trimEnd().split('\n').pop()).toBe('authenticationEnabled=true');
  });

  it('turns batch-index acknowledgement on, which Gyre consumers rely on', () => {
    const conf = brokerConfiguration(readStackSettings({}), '/tmp/x');
    expect(conf).toMatch(/^acknowledgmentAtBatchIndexLevelEnabled=true$/m);
  });
});

describe(brokerHealthy.name, () => {
  it('sends the auth token as a Bearer header when given one, and none otherwise', async () => {
    const seen: (string | undefined)[] = [];
    const server = createServer((request, response) => {
      seen.push(request.headers.authorization);
      response.statusCode = request.headers.authorization === 'Bearer t0k' ? 200 : 401;
      response.end();
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    try {
      const { port } = server.address() as AddressInfo;
      expect(await brokerHealthy(port)).toBe(false);
      expect(await brokerHealthy(port, 't0k')).toBe(true);
      expect(seen).toEqual([undefined, 'Bearer t0k']);
    } finally {
      await new Promise((closed) => server.close(closed));
    }
  });
});
