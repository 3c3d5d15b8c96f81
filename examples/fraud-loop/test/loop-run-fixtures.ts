import type { CardTransaction, TransactionOutcome } from '@gyre/ml';
import type { StageContext, StageEvent, StageHandler, StageOutput } from '@gyre/pipelines';
import type { S3Storage } from '@gyre/storage';
import type { DataSource } from 'typeorm';
import { createReferenceLoopHandlers, LOOP_HANDLERS } from '../src';

type Output = StageOutput<Record<string, unknown>>;

/**
 * The loop's four real handlers over Postgres and S3, driven in-process without Pulsar: each transaction
 * through prepare and infer, its prediction and then its label through feedback, and every example
 * through train. What a small loop run needs in a test of what reads its tables back.
 */
export class InProcessLoop {
  private readonly handlers: Map<string, StageHandler>;

  constructor(
    dataSource: DataSource,
    storage: S3Storage,
    private readonly pipeline: string,
    private readonly trainParameters: Record<string, unknown>,
  ) {
    this.handlers = new Map(
      createReferenceLoopHandlers(dataSource, storage, { modelRefreshMs: 0 }).map((h) => [h.name, h]),
    );
  }

  /** Scores the transactions, joins their outcomes, and feeds the examples to train; returns train's outputs. */
  async run(
    transactions: readonly CardTransaction[],
    outcomes: readonly TransactionOutcome[],
  ): Promise<Output[]> {
    const outcomeOf = new Map(outcomes.map((outcome) => [outcome.eventId, outcome]));
    const examples: Output[] = [];
    for (const tx of transactions) {
      const [features] = await this.handle(LOOP_HANDLERS.prepare, tx.eventId, tx);
      const [prediction] = await this.handle(
        LOOP_HANDLERS.infer,
        `f-${tx.eventId}`,
        features.payload,
        features.epoch,
      );
      examples.push(...(await this.handle(LOOP_HANDLERS.feedback, `p-${tx.eventId}`, prediction.payload)));
      const outcome = outcomeOf.get(tx.eventId);
      if (outcome) examples.push(...(await this.handle(LOOP_HANDLERS.feedback, `l-${tx.eventId}`, outcome)));
    }
    const updates: Output[] = [];
    for (const example of examples)
      updates.push(
        ...(await this.handle(
          LOOP_HANDLERS.train,
          `x-${String(example.payload.eventId)}`,
          example.payload,
          example.epoch,
          this.trainParameters,
        )),
      );
    return updates;
  }

  private handle(
    name: string,
    id: string,
    payload: unknown,
    epoch?: string,
    parameters: Record<string, unknown> = {},
  ): Promise<Output[]> {
    const event: StageEvent<unknown> = { id, key: undefined, epoch, payload, eventTime: 0, properties: {} };
    const context: StageContext = {
      pipeline: this.pipeline,
      stage: name,
      attempt: 1,
      parameters,
      signal: new AbortController().signal,
    };
    return this.handlers.get(name)!.handle(event, context) as Promise<Output[]>;
  }
}
