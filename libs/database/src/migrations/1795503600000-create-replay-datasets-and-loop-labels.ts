import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Datasets written by replays (Parquet exports and feature rebuilds: a manifest per job, a row per part),
 * and the reference loop's labels with the time each became known, so features read label rates as of
 * an event's time (point in time) instead of as of the moment they are computed.
 */
export class CreateReplayDatasetsAndLoopLabels1795503600000 implements MigrationInterface {
  name = 'CreateReplayDatasetsAndLoopLabels1795503600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "gyre_replay_datasets" (
        "job_id" uuid PRIMARY KEY REFERENCES "gyre_replay_jobs" ("id") ON DELETE CASCADE,
        "dataset" text NOT NULL,
        "bucket" text NOT NULL,
        "prefix" text NOT NULL,
        "schema" jsonb NOT NULL,
        "metadata" jsonb NOT NULL,
        "state" text NOT NULL CHECK ("state" IN ('writing', 'complete')),
        "row_count" bigint,
        "size_bytes" bigint,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "completed_at" timestamptz
      )`);
    await queryRunner.query(`
      CREATE TABLE "gyre_replay_dataset_parts" (
        "job_id" uuid NOT NULL REFERENCES "gyre_replay_datasets" ("job_id") ON DELETE CASCADE,
        "partition" integer NOT NULL CHECK ("partition" >= 0),
        "first_sequence" bigint NOT NULL CHECK ("first_sequence" >= 1),
        "last_sequence" bigint NOT NULL,
        "key" text NOT NULL,
        "row_count" integer NOT NULL CHECK ("row_count" >= 0),
        "size_bytes" bigint NOT NULL,
        "sha256" text NOT NULL,
        "written_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("job_id", "partition", "first_sequence"),
        CHECK ("last_sequence" >= "first_sequence")
      )`);
    await queryRunner.query(`
      CREATE TABLE "gyre_loop_labels" (
        "pipeline" text NOT NULL,
        "event_id" text NOT NULL,
        "merchant_id" text NOT NULL,
        "category" text NOT NULL,
        "fraud" smallint NOT NULL CHECK ("fraud" IN (0, 1)),
        "known_at" bigint NOT NULL,
        PRIMARY KEY ("pipeline", "event_id")
      )`);
    // What prepare asks for every transaction: a merchant's (a category's) labels known before a time.
    await queryRunner.query(
      `CREATE INDEX "gyre_loop_labels_merchant_idx" ON "gyre_loop_labels" ("pipeline", "merchant_id", "known_at")`,
    );
    await queryRunner.query(
      `CREATE INDEX "gyre_loop_labels_category_idx" ON "gyre_loop_labels" ("pipeline", "category", "known_at")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "gyre_loop_labels"`);
    await queryRunner.query(`DROP TABLE "gyre_replay_dataset_parts"`);
    await queryRunner.query(`DROP TABLE "gyre_replay_datasets"`);
  }
}
