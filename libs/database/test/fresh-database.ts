import { Client } from 'pg';
import { testEndpoints, uniqueName } from '../../../tools/testing';

/** An empty database of its own for one test, on the stack's Postgres; dropped by `drop()`. */
export async function createFreshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const serverUrl = testEndpoints().databaseUrl;
  const name = uniqueName('gyre_test').replace(/-/g, '_');
  await withClient(serverUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await withClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

async function withClient<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}
