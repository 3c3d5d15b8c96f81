import { createConnection } from 'node:net';
import { brokerHealthy } from '../pulsar-broker';
import { isPortOpen } from '../supervisor';
import { CLUSTER_PORTS } from './cluster-layout';

/** Sends a ZooKeeper four-letter command and resolves with its answer ('' when nothing answers). */
export function zookeeperCommand(command: string, port = CLUSTER_PORTS.zookeeper): Promise<string> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    let answer = '';
    socket.setTimeout(2000, () => socket.destroy());
    socket.on('connect', () => socket.write(command));
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('close', () => resolve(answer));
    socket.on('error', () => resolve(''));
  });
}

export async function zookeeperHealthy(): Promise<boolean> {
  return (await zookeeperCommand('ruok')) === 'imok';
}

/** A bookie is up once it listens and has registered itself as available in the metadata store. */
export async function bookieHealthy(index: number): Promise<boolean> {
  const port = CLUSTER_PORTS.bookies[index];
  if (!(await isPortOpen(port))) return false;
  return (await zookeeperCommand('dump')).includes(`/ledgers/available/127.0.0.1:${port}`);
}

export function clusterBrokerHealthy(index: number): Promise<boolean> {
  return brokerHealthy(CLUSTER_PORTS.brokers[index].web);
}

/** The proxy serves the binary port and forwards admin calls to a broker it discovered. */
export async function proxyHealthy(): Promise<boolean> {
  if (!(await isPortOpen(CLUSTER_PORTS.proxy.broker))) return false;
  try {
    const response = await fetch(`http://127.0.0.1:${CLUSTER_PORTS.proxy.web}/admin/v2/clusters`, {
      signal: AbortSignal.timeout(3000),
    });
    return response.ok;
  } catch {
    return false;
  }
}
