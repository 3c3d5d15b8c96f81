import { InvalidArgumentError } from '../errors';
import { ClusterFailover, resolveFailoverConfig } from './cluster-failover';

const PRIMARY = 'pulsar://primary:6650';
const SECOND = 'pulsar://second:6650';
const THIRD = 'pulsar://third:6650';

/** Probes answered from a table the test changes between rounds. */
function clusters(thresholds: { failoverThreshold?: number; switchBackThreshold?: number } = {}) {
  const up: Record<string, boolean> = { [PRIMARY]: true, [SECOND]: true, [THIRD]: true };
  const failover = new ClusterFailover(
    resolveFailoverConfig({ primary: PRIMARY, secondary: [SECOND, { serviceUrl: THIRD }], ...thresholds }),
    (url) => Promise.resolve(up[url]),
  );
  return { up, failover };
}

describe(ClusterFailover.name, () => {
  it('stays on a primary that answers', async () => {
    const { failover } = clusters();
    expect(await failover.check()).toBeUndefined();
    expect(failover.service.serviceUrl).toBe(PRIMARY);
  });

  it('after failoverThreshold failed probes moves to the first secondary that answers', async () => {
    const { up, failover } = clusters({ failoverThreshold: 2 });
    up[PRIMARY] = false;
    up[SECOND] = false;
    expect(await failover.check()).toBeUndefined();
    expect((await failover.check())?.serviceUrl).toBe(THIRD);
    expect(failover.service.serviceUrl).toBe(THIRD);
  });

  it('a primary answering again resets the count of failures', async () => {
    const { up, failover } = clusters({ failoverThreshold: 2 });
    up[PRIMARY] = false;
    await failover.check();
    up[PRIMARY] = true;
    await failover.check();
    up[PRIMARY] = false;
    expect(await failover.check()).toBeUndefined();
  });

  it('switches back after switchBackThreshold good probes of the primary in a row', async () => {
    const { up, failover } = clusters({ switchBackThreshold: 2 });
    up[PRIMARY] = false;
    expect((await failover.check())?.serviceUrl).toBe(SECOND);
    up[PRIMARY] = true;
    expect(await failover.check()).toBeUndefined();
    up[PRIMARY] = false;
    expect(await failover.check()).toBeUndefined(); // the run of good probes is broken
    up[PRIMARY] = true;
    expect(await failover.check()).toBeUndefined();
    expect((await failover.check())?.serviceUrl).toBe(PRIMARY);
  });

  it('leaves a failed secondary for the primary at once when the primary answers', async () => {
    const { up, failover } = clusters({ switchBackThreshold: 5 });
    up[PRIMARY] = false;
    await failover.check();
    up[SECOND] = false;
    up[PRIMARY] = true;
    expect((await failover.check())?.serviceUrl).toBe(PRIMARY);
  });

  it('refuses a provider without secondaries, with a bad threshold or a non-binary URL', () => {
    expect(() => resolveFailoverConfig({ primary: PRIMARY, secondary: [] })).toThrow(InvalidArgumentError);
    expect(() =>
      resolveFailoverConfig({ primary: PRIMARY, secondary: [SECOND], failoverThreshold: 0 }),
    ).toThrow('serviceUrlProvider.failoverThreshold must be an integer >= 1, got 0');
    expect(() => resolveFailoverConfig({ primary: 'http://web:8080', secondary: [SECOND] })).toThrow(
      /InvalidUrl/,
    );
    expect(resolveFailoverConfig({ primary: PRIMARY, secondary: [SECOND] })).toMatchObject({
      checkIntervalMs: 30_000,
      failoverThreshold: 1,
      switchBackThreshold: 2,
    });
  });
});
