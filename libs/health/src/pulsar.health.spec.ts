import { HealthIndicatorService } from '@nestjs/terminus';
import { GyreConfig, parseGyreConfig } from '@gyre/config';
import { PulsarAdmin } from '@gyre/pulsar-admin';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { PulsarHealthIndicator } from './pulsar.health';

/** A stand-in for the broker's admin API: answers the health path with a chosen status and body. */
async function fakeAdmin(
  status: number,
  body: string,
): Promise<{ server: Server; url: string; seen: IncomingHttpHeaders[] }> {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((request, response) => {
    seen.push(request.headers);
    response.writeHead(request.url === '/admin/v2/brokers/health' ? status : 404).end(body);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

function indicatorFor(adminUrl: string, token?: string): PulsarHealthIndicator {
  const config: GyreConfig = parseGyreConfig({
    DATABASE_URL: 'postgres://localhost/gyre',
    PULSAR_ADMIN_URL: adminUrl,
    PULSAR_AUTH_TOKEN: token,
  });
  return new PulsarHealthIndicator(
    new PulsarAdmin({ adminUrl: config.pulsar.adminUrl, authToken: config.pulsar.authToken }),
    config,
    new HealthIndicatorService(),
  );
}

describe(PulsarHealthIndicator.name, () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise((closed) => server.close(closed))));
  });

  it('reports up when the admin API answers 200 "ok", sending the token as a Bearer header', async () => {
    const admin = await fakeAdmin(200, 'ok');
    servers.push(admin.server);

    const result = await indicatorFor(admin.url, 'eyJ.token.sig').check();

    expect(result).toEqual({ pulsar: { status: 'up', adminUrl: admin.url } });
    expect(admin.seen[0].authorization).toBe('Bearer eyJ.token.sig');
  });

  it('sends no authorization header when no token is configured', async () => {
    const admin = await fakeAdmin(200, 'ok');
    servers.push(admin.server);

    await indicatorFor(admin.url).check();

    expect(admin.seen[0].authorization).toBeUndefined();
  });

  it('reports down with the status and body when the broker is unhealthy', async () => {
    const admin = await fakeAdmin(503, 'broker not ready');
    servers.push(admin.server);

    expect(await indicatorFor(admin.url).check()).toEqual({
      pulsar: {
        status: 'down',
        adminUrl: admin.url,
        message: 'broker health answered 503: broker not ready',
      },
    });
  });

  it('reports down, not throws, when nothing listens at the admin URL', async () => {
    const admin = await fakeAdmin(200, 'ok');
    await new Promise((closed) => admin.server.close(closed));

    const result = await indicatorFor(admin.url).check();

    expect(result.pulsar.status).toBe('down');
    expect(result.pulsar.message).toEqual(expect.any(String));
  });
});
