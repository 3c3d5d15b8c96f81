import { DataSource } from 'typeorm';
import { ClaimRequest, ClaimRow } from './idempotency-plan';

/** Claims on Idempotency-Keys and event ids in Postgres, shared by every API instance. */
export class IdempotencyStore {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Inserts a pending claim for each key nobody holds (insert-first: a concurrent duplicate finds the row),
   * taking over expired claims and pending ones older than `leaseSeconds` (their process died mid-publish).
   * Returns the current row of every key; rows holding `token` are the ones won.
   */
  async claim(
    stream: string,
    claims: ClaimRequest[],
    token: string,
    { windowSeconds, leaseSeconds }: { windowSeconds: number; leaseSeconds: number },
  ): Promise<Map<string, ClaimRow>> {
    // One order for every request: two batches claiming overlapping ids cannot deadlock.
    const sorted = [...claims].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const keys = sorted.map((claim) => claim.key);
    await this.dataSource.query(
      `INSERT INTO gyre_ingest_idempotency AS t (stream, key, request_hash, state, claim_token, expires_at)
       SELECT $1, c.key, c.hash, 'pending', $4, now() + make_interval(secs => $5)
       FROM unnest($2::text[], $3::text[]) AS c(key, hash)
       ON CONFLICT (stream, key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, state = 'pending', claim_token = EXCLUDED.claim_token,
             response = NULL, claimed_at = now(), expires_at = EXCLUDED.expires_at
         WHERE t.expires_at < now() OR (t.state = 'pending' AND t.claimed_at < now() - make_interval(secs => $6))`,
      [stream, keys, sorted.map((claim) => claim.hash), token, windowSeconds, leaseSeconds],
    );
    const rows: Array<{
      key: string;
      request_hash: string;
      state: 'pending' | 'done';
      claim_token: string;
      response: unknown;
    }> = await this.dataSource.query(
      `SELECT key, request_hash, state, claim_token, response FROM gyre_ingest_idempotency
         WHERE stream = $1 AND key = ANY($2::text[])`,
      [stream, keys],
    );
    return new Map(
      rows.map((row) => [
        row.key,
        {
          key: row.key,
          requestHash: row.request_hash,
          state: row.state,
          claimToken: row.claim_token,
          response: row.response,
        },
      ]),
    );
  }

  /** Records the responses of a published request; only the claims `token` holds change. */
  async complete(
    stream: string,
    token: string,
    responses: Array<{ key: string; response: unknown }>,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE gyre_ingest_idempotency AS t SET state = 'done', response = c.response
       FROM unnest($3::text[], $4::jsonb[]) AS c(key, response)
       WHERE t.stream = $1 AND t.key = c.key AND t.claim_token = $2`,
      [
        stream,
        token,
        responses.map((entry) => entry.key),
        responses.map((entry) => JSON.stringify(entry.response)),
      ],
    );
  }

  /** Gives up the pending claims of a request that published nothing, so its retry can claim them. */
  async release(stream: string, token: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM gyre_ingest_idempotency WHERE stream = $1 AND claim_token = $2 AND state = 'pending'`,
      [stream, token],
    );
  }

  /**
   * Deletes claims whose window has passed, at most `limit` per call (short transactions, no long lock);
   * returns how many went. A claim past its window is never honoured anyway: this only bounds the table.
   */
  async deleteExpired(limit: number): Promise<number> {
    const rows: unknown[] = await this.dataSource.query(
      `DELETE FROM gyre_ingest_idempotency WHERE ctid IN (
         SELECT ctid FROM gyre_ingest_idempotency WHERE expires_at < now() LIMIT $1
       ) RETURNING 1`,
      [limit],
    );
    return rows.length;
  }
}
