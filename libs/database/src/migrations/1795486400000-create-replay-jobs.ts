import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateReplayJobs1795486400000 implements MigrationInterface {
  name = 'CreateReplayJobs1795486400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "gyre_replay_jobs" (
        "id" uuid PRIMARY KEY,
        "source_stream" text NOT NULL,
        "start_position" jsonb NOT NULL,
        "end_position" jsonb NOT NULL,
        "filter" jsonb,
        "target" jsonb NOT NULL,
        "rate_limit_per_second" integer CHECK ("rate_limit_per_second" > 0),
        "state" text NOT NULL
          CHECK ("state" IN ('pending', 'running', 'paused', 'cancelled', 'completed', 'failed')),
        "lease_owner" text,
        "lease_expires_at" timestamptz,
        "claims" integer NOT NULL DEFAULT 0,
        "failures" integer NOT NULL DEFAULT 0,
        "error" jsonb,
        "rate_per_second" double precision,
        "eta_seconds" double precision,
        "created_by" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "started_at" timestamptz,
        "finished_at" timestamptz
      )`);
    // What the runners' claim query scans: claimable jobs, oldest first.
    await queryRunner.query(
      `CREATE INDEX "gyre_replay_jobs_claimable_idx" ON "gyre_replay_jobs" ("created_at") WHERE "state" IN ('pending', 'running')`,
    );
    await queryRunner.query(`
      CREATE TABLE "gyre_replay_checkpoints" (
        "job_id" uuid NOT NULL REFERENCES "gyre_replay_jobs" ("id") ON DELETE CASCADE,
        "partition" integer NOT NULL CHECK ("partition" >= 0),
        "start_id" text,
        "end_id" text,
        "last_id" text,
        "scanned" bigint NOT NULL DEFAULT 0 CHECK ("scanned" >= 0),
        "events" bigint NOT NULL DEFAULT 0 CHECK ("events" >= 0),
        "bytes" bigint NOT NULL DEFAULT 0 CHECK ("bytes" >= 0),
        "estimated" bigint NOT NULL DEFAULT 0 CHECK ("estimated" >= 0),
        "done" boolean NOT NULL DEFAULT false,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("job_id", "partition")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "gyre_replay_checkpoints"`);
    await queryRunner.query(`DROP TABLE "gyre_replay_jobs"`);
  }
}
