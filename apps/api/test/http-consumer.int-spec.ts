import type { INestApplication } from '@nestjs/common';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, uniqueName, waitFor } from '../../../tools/testing';
import { clientAs, issueKey } from './auth-helpers';
import { backlogOf } from './consumption-helpers';
import { CLICK_SCHEMA, startApiWith, streamName } from './streams-helpers';

const WORKER = resolve(__dirname, '../../../examples/python-worker/worker.py');

describe('examples/python-worker/worker.py against the API', () => {
  let app: INestApplication;
  let url: string;
  let dir: string;

  beforeAll(async () => {
    app = await startApiWith({});
    const port = await freePort();
    await app.listen(port, '127.0.0.1');
    url = `http://127.0.0.1:${port}`;
    dir = mkdtempSync(join(tmpdir(), 'gyre-python-worker-'));
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['pulls', []],
    ['streams (--mode stream)', ['--mode', 'stream', '--credits', '30']],
  ])(
    '%s, processes and acks every published event once, leaves nothing unacked, and stops on SIGTERM',
    async (_mode, extra) => {
      const operator = await issueKey(app, 'admin');
      const worker = await issueKey(app, 'consumer', { kind: 'prefix', prefix: 'it-stream-' });
      const stream = streamName();
      const subscription = uniqueName('python');
      const { body } = await clientAs(app, operator)
        .post('/admin/streams')
        .send({ name: stream, ownerTeam: 'ranking', partitions: 2, schema: CLICK_SCHEMA })
        .expect(201);
      const published = new Set<string>();
      for (let request = 0; request < 10; request += 1) {
        const events = Array.from({ length: 25 }, (_, i) => ({
          payload: { user: `u${i}`, amount: request * 25 + i },
        }));
        const response = await clientAs(app, operator)
          .post(`/v1/streams/${stream}/events`)
          .send(events)
          .expect(202);
        for (const event of response.body.events) published.add(event.messageId);
      }
      const results = join(dir, `${subscription}.jsonl`);
      const child = spawn(
        'python3',
        [WORKER, '--url', url, '--stream', stream, '--subscription', subscription, '--batch', '40'].concat([
          '--wait-ms',
          '1000',
          '--initial-position',
          'Earliest',
          '--results',
          results,
          ...extra,
        ]),
        { env: { ...process.env, GYRE_API_KEY: worker.secret }, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));

      const lines = await waitFor(
        () => {
          const text = existsSync(results) ? readFileSync(results, 'utf8') : '';
          const rows = text.split('\n').filter(Boolean);
          return rows.length >= published.size && rows;
        },
        { timeoutMs: 60_000, description: `the worker to process ${published.size} events` },
      ).catch((error: Error) => {
        child.kill('SIGKILL');
        throw new Error(`${error.message}\nworker stderr:\n${stderr}`);
      });
      await waitFor(async () => (await backlogOf(body.topic, subscription)) === 0, {
        description: 'an empty backlog',
      });
      child.kill('SIGTERM');

      expect(await exited).toBe(0);
      const rows = lines.map(
        (line) => JSON.parse(line) as { messageId: string; amount: number; amountSquared: number },
      );
      expect(new Set(rows.map((row) => row.messageId))).toEqual(published);
      expect(rows).toHaveLength(published.size);
      expect(rows.every((row) => row.amountSquared === row.amount * row.amount)).toBe(true);
      expect(stderr).toMatch(/stopped: 250 processed, 0 nacked/);
    },
  );
});
