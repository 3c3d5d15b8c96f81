import { ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const repoRoot = resolve(__dirname, '..', '..', '..', '..');
const PREFIX = '@@peer ';

/** A message id as the Java client describes it (64-bit ids as decimal strings). */
export interface JavaMessageId {
  bytes: string;
  text: string;
  ledgerId: string;
  entryId: string;
  partition: number;
  batchIndex: number;
  batchSize: number;
}

export interface JavaMessage {
  data: string;
  key?: string;
  properties: Record<string, string>;
  eventTime: number;
  publishTime: number;
  topic: string;
  id: JavaMessageId;
}

export interface JavaProduceRequest {
  topic: string;
  compression: 'NONE' | 'LZ4' | 'ZLIB' | 'ZSTD' | 'SNAPPY';
  batching: boolean;
  batchingMaxMessages?: number;
  messages: { data: Buffer; key?: string; properties?: Record<string, string>; eventTime?: number }[];
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/**
 * The official Java client (pulsar/lib, the broker's own jars) driven over stdin/stdout by
 * JavaPeer.java, compiled into a temp dir. One JVM per test file keeps the start-up cost to once.
 */
export class JavaPeer {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly output: string[] = [];

  private constructor(
    private readonly process: ChildProcessWithoutNullStreams,
    private readonly classDir: string,
  ) {}

  static async start(serviceUrl: string): Promise<JavaPeer> {
    const classDir = mkdtempSync(join(tmpdir(), 'gyre-java-peer-'));
    const classpath = `${join(repoRoot, 'pulsar', 'lib')}/*`;
    execFileSync('javac', ['-cp', classpath, '-d', classDir, join(__dirname, 'JavaPeer.java')]);
    const child = spawn('java', ['-cp', `${classDir}:${classpath}`, 'JavaPeer', serviceUrl]);
    const peer = new JavaPeer(child, classDir);
    await peer.listen();
    return peer;
  }

  /** Produces the messages with the Java client and returns their ids, in order. */
  async produce(request: JavaProduceRequest): Promise<JavaMessageId[]> {
    const messages = request.messages.map((message) => ({
      ...message,
      data: message.data.toString('base64'),
    }));
    const result = (await this.call('produce', { ...request, messages })) as { ids: JavaMessageId[] };
    return result.ids;
  }

  /** Receives and acknowledges `count` messages on an Exclusive subscription starting at earliest. */
  async consume(topic: string, subscription: string, count: number): Promise<JavaMessage[]> {
    const result = (await this.call('consume', { topic, subscription, count })) as {
      messages: JavaMessage[];
    };
    return result.messages;
  }

  /**
   * Receives `count` messages on a Shared subscription with retry enabled (Java's default retry and DLQ
   * topic names) and calls reconsumeLater(delayMs) on each; returns them as received.
   */
  async reconsume(request: {
    topic: string;
    subscription: string;
    count: number;
    maxRedeliverCount: number;
    delayMs: number;
  }): Promise<JavaMessage[]> {
    const result = (await this.call('reconsume', request)) as { messages: JavaMessage[] };
    return result.messages;
  }

  /** How the Java client reads these serialized message id bytes (MessageId.fromByteArray). */
  async parseMessageId(bytes: Buffer): Promise<JavaMessageId> {
    return (await this.call('messageId', { bytes: bytes.toString('base64') })) as JavaMessageId;
  }

  async stop(): Promise<void> {
    const exited = new Promise((done) => this.process.once('exit', done));
    if (this.process.exitCode === null) {
      this.process.stdin.end(`${JSON.stringify({ id: 0, op: 'exit' })}\n`);
      const timer = setTimeout(() => this.process.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.classDir, { recursive: true, force: true });
  }

  private listen(): Promise<void> {
    return new Promise((ready, failed) => {
      const lines = createInterface({ input: this.process.stdout });
      lines.on('line', (line) => {
        if (!line.startsWith(PREFIX)) {
          this.output.push(line);
          if (this.output.length > 50) this.output.shift();
          return;
        }
        const reply = JSON.parse(line.slice(PREFIX.length)) as {
          ready?: boolean;
          id?: number;
          result?: unknown;
          error?: string;
        };
        if (reply.ready) return ready();
        const pending = this.pending.get(reply.id!);
        this.pending.delete(reply.id!);
        if (reply.error !== undefined) pending?.reject(new Error(`Java peer: ${reply.error}`));
        else pending?.resolve(reply.result);
      });
      this.process.stderr.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
      this.process.once('exit', (code) => {
        const error = new Error(`Java peer exited (${code}): ${this.output.slice(-10).join('\n')}`);
        failed(error);
        for (const pending of this.pending.values()) pending.reject(error);
        this.pending.clear();
      });
    });
  }

  private call(op: string, args: object): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.process.stdin.write(`${JSON.stringify({ ...args, id, op })}\n`);
    });
  }
}
