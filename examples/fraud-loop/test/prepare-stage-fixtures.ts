import { migratedDatabase, MigratedDatabase } from '../../../tools/testing';
import { testStage } from '../../../tools/testing/stages';
import { applyPendingMigrations, createGyreDataSource } from '@gyre/database';
import { CardTransaction, FRAUD_FEATURES_V1, generateFraudScenario } from '@gyre/ml';
import { Client, Producer } from '@gyre/pulsar';
import { EVENT_PROPERTIES } from '@gyre/streams';
import { DataSource } from 'typeorm';
import { BatchStageHandler, StageDefinition, StageHandler } from '@gyre/pipelines';
import { LOOP_HANDLERS, PrepareHandler, LoopStateStore, REFERENCE_LOOP_MIGRATIONS } from '../src';

/**
 * The reliability tests drive the real prepare stage (Key_Shared by card, per-card state in Postgres):
 * its `log_card_history` feature counts the card's earlier transactions, so a card whose state was
 * lost, reset or applied out of order shows up as a break in that count.
 */
const HISTORY = FRAUD_FEATURES_V1.features.indexOf('log_card_history');

export function transactions(seed: string, count: number): CardTransaction[] {
  return generateFraudScenario({ seed, transactionCount: count }).transactions;
}

/** A data source on `url` with the platform's migrations and the loop's own applied. */
export async function migratedDataSource(url: string): Promise<DataSource> {
  const dataSource = await createGyreDataSource(
    { database: { url, embeddedPort: 0 } },
    { applicationName: 'gyre-test', migrations: REFERENCE_LOOP_MIGRATIONS },
  ).initialize();
  await applyPendingMigrations(dataSource);
  return dataSource;
}

/** A fresh database with the platform's and the loop's migrations for one test file, dropped after it. */
export function useLoopDatabase(): { readonly dataSource: DataSource } {
  let database: MigratedDatabase | undefined;
  beforeAll(async () => {
    database = await migratedDatabase('gyre-test', REFERENCE_LOOP_MIGRATIONS);
  });
  afterAll(async () => {
    await database?.close();
  });
  return {
    get dataSource() {
      return database!.dataSource;
    },
  };
}

/** The prepare stage reading `transactions` (Key_Shared) and publishing to `features`. */
export function prepareStage(overrides: Parameters<typeof testStage>[0] = {}): StageDefinition {
  return testStage({
    name: 'prepare',
    handler: LOOP_HANDLERS.prepare,
    outputs: ['features'],
    concurrency: 4,
    ...overrides,
    input: { stream: 'transactions', subscriptionType: 'Key_Shared', ...overrides.input },
  });
}

/** prepare over `dataSource`, noting which worker handled which card (to see keys move between workers). */
export function preparedBy(
  dataSource: DataSource,
  worker: string,
  seen: Map<string, Set<string>>,
): StageHandler {
  const prepare = new PrepareHandler(new LoopStateStore(dataSource)) as StageHandler;
  return {
    name: prepare.name,
    handle: async (event, context) => {
      const outputs = await prepare.handle(event, context);
      const card = (event.payload as CardTransaction).cardId;
      seen.set(card, (seen.get(card) ?? new Set()).add(worker));
      return outputs;
    },
  };
}

/** prepare's batch path over `dataSource`, noting which worker handled which card. */
export function preparedInBatchesBy(
  dataSource: DataSource,
  worker: string,
  seen: Map<string, Set<string>>,
): BatchStageHandler {
  const prepare = new PrepareHandler(new LoopStateStore(dataSource)) as BatchStageHandler;
  return {
    name: prepare.name,
    handleBatch: async (events, context) => {
      const results = await prepare.handleBatch(events, context);
      for (const event of events) {
        const card = (event.payload as CardTransaction).cardId;
        seen.set(card, (seen.get(card) ?? new Set()).add(worker));
      }
      return results;
    },
  };
}

/**
 * Publishes the transactions in event-time order, keyed by card; resolves once all are receipted.
 * `sendTimeoutMs: 0` waits out a broker outage instead of failing the sends.
 */
export async function publishTransactions(
  client: Client,
  topic: string,
  batch: readonly CardTransaction[],
  options: { sendTimeoutMs?: number } = {},
): Promise<void> {
  const producer = await client.createProducer({ topic, batchingEnabled: false, ...options });
  await sendTransactions(producer, batch);
  await producer.close();
}

/** Sends through an open producer, which reconnects and resends by itself across a broker restart. */
export async function sendTransactions(producer: Producer, batch: readonly CardTransaction[]): Promise<void> {
  await Promise.all(
    batch.map((transaction) =>
      producer.send({
        data: Buffer.from(JSON.stringify(transaction)),
        partitionKey: transaction.cardId,
        eventTimestamp: transaction.timestamp,
        properties: { [EVENT_PROPERTIES.eventId]: transaction.eventId },
      }),
    ),
  );
}

export async function featureRowCount(dataSource: DataSource, pipeline: string): Promise<number> {
  const [row] = (await dataSource.query(
    `SELECT count(*)::int AS count FROM gyre_loop_feature_rows WHERE pipeline = $1`,
    [pipeline],
  )) as { count: number }[];
  return row.count;
}

/**
 * Every card's feature rows, in event-time order, must count 0, 1, 2, ... earlier transactions: one
 * row per event, none skipped, none counted twice. Returns the cards that break it (empty: all hold).
 */
export async function cardHistoryBreaks(
  dataSource: DataSource,
  pipeline: string,
  expected: readonly CardTransaction[],
): Promise<string[]> {
  const rows = (await dataSource.query(
    `SELECT card_id, event_id, "values" FROM gyre_loop_feature_rows WHERE pipeline = $1
      ORDER BY card_id, event_time, event_id`,
    [pipeline],
  )) as { card_id: string; event_id: string; values: number[] }[];
  const expectedByCard = new Map<string, string[]>();
  for (const transaction of expected)
    expectedByCard.set(transaction.cardId, [
      ...(expectedByCard.get(transaction.cardId) ?? []),
      transaction.eventId,
    ]);
  const rowsByCard = new Map<string, typeof rows>();
  for (const row of rows) rowsByCard.set(row.card_id, [...(rowsByCard.get(row.card_id) ?? []), row]);
  const breaks: string[] = [];
  for (const [card, ids] of expectedByCard) {
    const got = rowsByCard.get(card) ?? [];
    const sameEvents = got.map((row) => row.event_id).join() === ids.join();
    const counted = got.every((row, i) => Math.abs(row.values[HISTORY] - Math.log1p(i)) < 1e-12);
    if (!sameEvents || !counted) breaks.push(card);
  }
  return breaks;
}
