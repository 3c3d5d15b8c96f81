import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AdminHttp } from './http';

/** An HTTP server that drops the connection of its first `drops` requests without answering, then answers. */
async function flakyServer(drops: number): Promise<{ server: Server; url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(request.method!);
    if (requests.length <= drops) {
      request.socket.destroy();
      return;
    }
    response.setHeader('content-type', 'application/json');
    response.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

describe(AdminHttp.name, () => {
  let server: Server | undefined;
  afterEach(() => new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined))));

  it('sends an idempotent request again when the connection drops before any answer', async () => {
    const flaky = await flakyServer(2);
    server = flaky.server;
    const http = new AdminHttp({ adminUrl: flaky.url });

    await expect(http.request('PUT', '/admin/v2/tenants/t', { allowedClusters: ['c'] })).resolves.toEqual({
      ok: true,
    });
    expect(flaky.requests).toEqual(['PUT', 'PUT', 'PUT']);
  });

  it('gives up with unreachable after three dropped attempts', async () => {
    const flaky = await flakyServer(10);
    server = flaky.server;
    const http = new AdminHttp({ adminUrl: flaky.url });

    await expect(http.request('GET', '/admin/v2/clusters')).rejects.toMatchObject({ code: 'unreachable' });
    expect(flaky.requests).toEqual(['GET', 'GET', 'GET']);
  });

  it('never sends a POST twice: it may have been applied before the connection dropped', async () => {
    const flaky = await flakyServer(1);
    server = flaky.server;
    const http = new AdminHttp({ adminUrl: flaky.url });

    await expect(http.request('POST', '/admin/v2/persistent/t/n/topic/unload')).rejects.toMatchObject({
      code: 'unreachable',
    });
    expect(flaky.requests).toEqual(['POST']);
  });
});
