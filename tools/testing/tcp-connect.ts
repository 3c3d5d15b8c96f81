import { connect } from 'node:net';

/**
 * Opens a TCP connection to host:port and closes it at once: 'connected', or the error code (ECONNREFUSED
 * when nothing listens on that address). Shows which addresses a server listens on, not only its port.
 */
export function tcpConnect(host: string, port: number): Promise<string> {
  return new Promise((settled) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      settled('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => settled(error.code ?? error.message));
  });
}
