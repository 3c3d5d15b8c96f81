import type { ReferenceLoopStreams } from '@gyre/example-fraud-loop';

/** The demo's calls to the REST API, with the admin key: create streams, post events. */
export class GyreHttp {
  constructor(
    private readonly baseUrl: string,
    private readonly key: string,
  ) {}

  /** Creates each stream of the loop; transactions and labels get their real schemas. */
  async createLoopStreams(streams: ReferenceLoopStreams): Promise<void> {
    const open = { type: 'object' };
    const schemas: Record<string, Record<string, unknown>> = {
      [streams.transactions]: TRANSACTION_SCHEMA,
      [streams.labels]: LABEL_SCHEMA,
      [streams.features]: open,
      [streams.predictions]: open,
      [streams.examples]: open,
      [streams.modelUpdates]: open,
    };
    for (const [name, schema] of Object.entries(schemas)) {
      const partitions = name === streams.transactions ? 2 : 1;
      await this.call('POST', '/admin/streams', { name, ownerTeam: 'fraud-demo', partitions, schema });
    }
  }

  /** Posts events in requests of `batch`, in order: per-card order reaches prepare as generated. */
  async postEvents(
    stream: string,
    events: { id: string; key: string; eventTime: number; payload: unknown }[],
    batch = 500,
  ): Promise<void> {
    for (let start = 0; start < events.length; start += batch)
      await this.call('POST', `/v1/streams/${stream}/events`, events.slice(start, start + batch));
  }

  async get(path: string): Promise<unknown> {
    return this.call('GET', path, undefined);
  }

  private async call(method: string, path: string, body: unknown): Promise<unknown> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
    return text === '' ? undefined : JSON.parse(text);
  }
}

const TRANSACTION_SCHEMA = {
  type: 'object',
  required: ['eventId', 'cardId', 'merchantId', 'merchantCategory', 'amount', 'country', 'timestamp'],
  properties: {
    eventId: { type: 'string' },
    cardId: { type: 'string' },
    merchantId: { type: 'string' },
    merchantCategory: { type: 'string' },
    amount: { type: 'number', exclusiveMinimum: 0 },
    country: { type: 'string', minLength: 2, maxLength: 2 },
    timestamp: { type: 'integer' },
  },
};

const LABEL_SCHEMA = {
  type: 'object',
  required: [
    'eventId',
    'cardId',
    'merchantId',
    'merchantCategory',
    'label',
    'source',
    'transactionTime',
    'reportedAt',
  ],
  properties: {
    eventId: { type: 'string' },
    cardId: { type: 'string' },
    merchantId: { type: 'string' },
    merchantCategory: { type: 'string' },
    label: { enum: ['fraud', 'legit'] },
    source: { enum: ['chargeback', 'cardholder-report', 'settled'] },
    transactionTime: { type: 'integer' },
    reportedAt: { type: 'integer' },
  },
};
