import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { GyreConfig } from '@gyre/config';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { FieldProblem, payloadProblems, StreamDirectory, StreamNamespace, StreamsError } from '@gyre/streams';
import { StreamProducers } from '../publishing/stream-producers';
import {
  EnvelopedEvent,
  envelopeEvents,
  eventHash,
  EventsBody,
  eventsOf,
  requestHash,
} from './event-envelope';
import { ClaimRequest, eventClaimKey, IngestPlan, planIngest, requestClaimKey } from './idempotency-plan';
import { IdempotencyStore } from './idempotency-store';
import { IngestResult, PublishedEvent } from './ingest-result';
import { messageOf } from './producer-message';

// Rows deleted per statement by the periodic cleanup.
const CLEANUP_BATCH = 5000;

export interface IngestRequest {
  stream: string;
  body: EventsBody;
  idempotencyKey?: string;
}

export interface IngestOutcome {
  result: IngestResult;
  /** True when the whole response is the stored one of an earlier request with the same Idempotency-Key. */
  replayed: boolean;
}

/**
 * Accepts events for a stream: every event is checked before anything is published (all or nothing),
 * idempotency claims are taken in Postgres before publishing, and the result is returned only after the
 * broker acknowledged every event.
 */
@Injectable()
export class IngestService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('IngestService');
  private readonly idempotency: IdempotencyStore;
  private cleanup?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: GyreConfig,
    private readonly namespace: StreamNamespace,
    private readonly directory: StreamDirectory,
    private readonly producers: StreamProducers,
  ) {
    this.idempotency = new IdempotencyStore(dataSource);
  }

  /** Every instance cleans up periodically; concurrent deletes of the same rows are harmless. */
  onModuleInit(): void {
    const every = this.config.ingest.idempotencyCleanupIntervalMs;
    if (every <= 0) return;
    this.cleanup = setInterval(() => void this.deleteExpiredClaims(), every);
    this.cleanup.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.cleanup);
  }

  /** Deletes idempotency claims older than the window; returns how many. A failure is logged, not thrown. */
  async deleteExpiredClaims(): Promise<number> {
    let deleted = 0;
    try {
      for (let batch = CLEANUP_BATCH; batch === CLEANUP_BATCH; deleted += batch)
        batch = await this.idempotency.deleteExpired(CLEANUP_BATCH);
    } catch (error) {
      this.logger.warn({ msg: 'could not delete expired idempotency claims', error: String(error) });
    }
    return deleted;
  }

  async ingest(request: IngestRequest): Promise<IngestOutcome> {
    const { validate } = await this.directory.lookup(request.stream);
    const events = envelopeEvents(eventsOf(request.body), this.config.ingest);
    const problems: FieldProblem[] = events.flatMap((event) =>
      payloadProblems(validate, event.payload, `/events/${event.index}/payload`),
    );
    if (problems.length > 0)
      throw new StreamsError('INVALID_EVENTS', 'events do not match the stream schema', { problems });

    const claims = claimsOf(events, request.idempotencyKey);
    if (claims.length === 0)
      return { result: await this.publish(request.stream, events, new Map()), replayed: false };

    const token = randomUUID();
    const plan = await this.claim(request.stream, claims, token);
    if (plan.kind === 'refuse') {
      await this.idempotency.release(request.stream, token);
      throw plan.error;
    }
    if (plan.kind === 'replay') {
      await this.idempotency.release(request.stream, token);
      return { result: plan.response, replayed: true };
    }
    let result: IngestResult;
    try {
      result = await this.publish(request.stream, events, plan.replayed);
    } catch (error) {
      // Nothing was acknowledged as a whole: free the keys so the client's retry can claim them.
      await this.idempotency.release(request.stream, token);
      throw error;
    }
    await this.idempotency.complete(request.stream, token, [
      ...claims
        .filter((claim) => claim.eventIndex === undefined)
        .map((claim) => ({ key: claim.key, response: result })),
      ...claims
        .filter((claim) => claim.eventIndex !== undefined && !plan.replayed.has(claim.eventIndex))
        .map((claim) => ({
          key: claim.key,
          response: { messageId: result.events[claim.eventIndex!].messageId },
        })),
    ]);
    return { result, replayed: false };
  }

  private async claim(stream: string, claims: ClaimRequest[], token: string): Promise<IngestPlan> {
    const { idempotencyWindowSeconds, sendTimeoutMs, retryAfterSeconds } = this.config.ingest;
    // A pending claim older than a publish can take belongs to a process that died mid-request.
    const leaseSeconds = Math.ceil((2 * sendTimeoutMs) / 1000) + 30;
    const rows = await this.idempotency.claim(stream, claims, token, {
      windowSeconds: idempotencyWindowSeconds,
      leaseSeconds,
    });
    return planIngest(claims, rows, token, retryAfterSeconds);
  }

  private async publish(
    stream: string,
    events: EnvelopedEvent[],
    replayed: ReadonlyMap<number, { messageId: string | null }>,
  ): Promise<IngestResult> {
    const toPublish = events.filter((event) => !replayed.has(event.index));
    const ids =
      toPublish.length === 0
        ? []
        : await this.producers.publishAll(this.namespace.topic(stream), toPublish.map(messageOf));
    const published = new Map(toPublish.map((event, position) => [event.index, ids[position]]));
    return {
      stream,
      events: events.map((event): PublishedEvent => {
        const id = published.get(event.index);
        const messageId = id
          ? id.ledgerId < 0n
            ? null
            : id.toOpaqueString()
          : replayed.get(event.index)!.messageId;
        return { index: event.index, messageId, ...(event.id ? { id: event.id } : {}), duplicate: !id };
      }),
    };
  }
}

function claimsOf(events: EnvelopedEvent[], idempotencyKey: string | undefined): ClaimRequest[] {
  const claims: ClaimRequest[] = events
    .filter((event) => event.id !== undefined)
    .map((event) => ({ key: eventClaimKey(event.id!), hash: eventHash(event), eventIndex: event.index }));
  if (idempotencyKey !== undefined)
    claims.push({ key: requestClaimKey(idempotencyKey), hash: requestHash(events) });
  return claims;
}
