import { StackError } from './errors';
import { delay, isAlive, isPortOpen, readPid, ServiceProcess, startDetached, tail } from './supervisor';

export interface ServiceStatus {
  name: string;
  state: 'up' | 'down' | 'unhealthy' | 'external';
  url: string;
  pid?: number;
  log?: string;
  startedInMs?: number;
}

/**
 * Starts `service` unless it already runs, then waits until `healthy` answers. Fails with one actionable
 * line when a port is taken by a stranger, when the process dies (quoting its log), or on timeout.
 */
export async function ensureServiceUp(
  service: ServiceProcess,
  ports: number[],
  healthy: () => Promise<boolean>,
  timeoutMs: number,
  report: (line: string) => void = () => undefined,
): Promise<ServiceStatus> {
  const running = readPid(service.pidFile);
  if (isAlive(running)) {
    if (await healthy())
      return { name: service.name, state: 'up', url: '', pid: running, log: service.logFile };
    report(`${service.name} (pid ${running}) is not healthy yet; waiting`);
    return awaitHealthy(service, running!, healthy, timeoutMs, Date.now());
  }
  for (const port of ports) {
    if (await isPortOpen(port)) throw portInUse(service.name, port);
  }
  report(`starting ${service.name}`);
  const started = Date.now();
  const pid = startDetached(service);
  return awaitHealthy(service, pid, healthy, timeoutMs, started);
}

async function awaitHealthy(
  service: ServiceProcess,
  pid: number,
  healthy: () => Promise<boolean>,
  timeoutMs: number,
  started: number,
): Promise<ServiceStatus> {
  while (Date.now() - started < timeoutMs) {
    if (!isAlive(pid)) {
      const last = tail(service.logFile, 1);
      throw new StackError(
        `${service.name} exited during start-up${last ? `: ${last}` : ''}`,
        'SERVICE_DIED',
        service.logFile,
      );
    }
    if (await healthy()) {
      return {
        name: service.name,
        state: 'up',
        url: '',
        pid,
        log: service.logFile,
        startedInMs: Date.now() - started,
      };
    }
    await delay(250);
  }
  throw new StackError(
    `${service.name} did not become healthy within ${timeoutMs / 1000} s`,
    'SERVICE_TIMEOUT',
    service.logFile,
  );
}

export function portInUse(service: string, port: number, setting?: string): StackError {
  const hint = setting ? `, or set ${setting} to a free port` : '';
  return new StackError(
    `Cannot start ${service}: port ${port} on 127.0.0.1 is already in use by another process (not started by this stack): stop that process${hint}`,
    'PORT_IN_USE',
  );
}
