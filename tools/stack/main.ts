import { readFileSync, existsSync } from 'node:fs';
import { ConfigurationError } from '@gyre/config';
import { StackError } from './errors';
import { ServiceStatus } from './service-lifecycle';
import { LocalStack } from './stack';
import { tail } from './supervisor';

const USAGE =
  'usage: npm run stack -- up [--cluster] | down [--cluster] | status [--cluster] | logs [--cluster] [service]';

async function main(argv: string[]): Promise<number> {
  const cluster = argv.includes('--cluster');
  const [command, target] = argv.filter((arg) => arg !== '--cluster');
  const stack = new LocalStack(undefined, (line) => process.stdout.write(`stack: ${line}\n`));
  switch (command) {
    case 'up': {
      const started = Date.now();
      const services = cluster ? await stack.upCluster() : await stack.up();
      printTable(services);
      const envFile = cluster ? '.data/pulsar-cluster/cluster.env' : '.data/stack.env';
      process.stdout.write(
        `stack: up in ${((Date.now() - started) / 1000).toFixed(1)} s; endpoints in ${envFile}\n`,
      );
      return 0;
    }
    case 'down': {
      // `down --cluster` stops only the cluster; plain `down` stops everything, the cluster included.
      const stopped = cluster ? await stack.downCluster() : await stack.down();
      process.stdout.write(
        `stack: ${stopped.length ? `stopped ${stopped.join(', ')}` : 'nothing was running'}\n`,
      );
      return 0;
    }
    case 'status': {
      const services = cluster ? await stack.clusterStatus() : await stack.status();
      printTable(services);
      return services.every((s) => s.state === 'up' || s.state === 'external') ? 0 : 3;
    }
    case 'logs': {
      const files = cluster ? stack.clusterLogFiles() : stack.logFiles();
      for (const [name, file] of Object.entries(files)) {
        if (target && target !== name) continue;
        process.stdout.write(
          `==> ${name}: ${file}\n${existsSync(file) ? (target ? readFileSync(file, 'utf8') : tail(file, 20)) : '(no log yet)'}\n`,
        );
      }
      return 0;
    }
    default:
      process.stderr.write(`${USAGE}\n`);
      return 2;
  }
}

function printTable(services: ServiceStatus[]): void {
  for (const s of services) {
    const took = s.startedInMs !== undefined ? ` started in ${(s.startedInMs / 1000).toFixed(1)} s` : '';
    process.stdout.write(
      `  ${s.name.padEnd(10)} ${s.state.padEnd(9)} ${s.url}${s.pid ? ` pid ${s.pid}` : ''}${took}\n`,
    );
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof StackError || error instanceof ConfigurationError) {
      process.stderr.write(`stack: ${error.message}\n`);
      process.exit(1);
    }
    process.stderr.write(
      `stack: unexpected failure: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exit(1);
  },
);
