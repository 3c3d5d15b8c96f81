import { join } from 'node:path';
import { serviceDir } from '../paths';

/** The cluster's name in its metadata; brokers, proxy and tests agree on it. */
export const CLUSTER_NAME = 'gyre-cluster';

/**
 * Fixed ports in 17000-17999, apart from every standalone stack's (which follow .env), so the cluster runs
 * beside them. One cluster per machine: it is the shared fixture of `npm run test:cluster`.
 */
export const CLUSTER_PORTS = {
  zookeeper: 17181,
  bookies: [17301, 17302],
  brokers: [
    { broker: 17651, web: 17081 },
    { broker: 17652, web: 17082 },
  ],
  proxy: { broker: 17650, web: 17080 },
} as const;

export const clusterDir = serviceDir('pulsar-cluster');

export function partDir(part: string): string {
  return join(clusterDir, part);
}

export const metadataStoreUrl = `zk:127.0.0.1:${CLUSTER_PORTS.zookeeper}`;

/** What clients of the cluster use: the proxy is the only service URL they need. */
export const clusterEndpoints = {
  serviceUrl: `pulsar://127.0.0.1:${CLUSTER_PORTS.proxy.broker}`,
  adminUrl: `http://127.0.0.1:${CLUSTER_PORTS.proxy.web}`,
  brokerServiceUrls: CLUSTER_PORTS.brokers.map((b) => `pulsar://127.0.0.1:${b.broker}`),
  brokerAdminUrls: CLUSTER_PORTS.brokers.map((b) => `http://127.0.0.1:${b.web}`),
};

/** The endpoints file of the cluster, for the tests and apps pointed at it (the standalone's is stack.env). */
export const clusterEnvFile = join(clusterDir, 'cluster.env');
