import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateStreams1795465320000 implements MigrationInterface {
  name = 'CreateStreams1795465320000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "gyre_streams" (
        "name" text PRIMARY KEY,
        "owner_team" text NOT NULL,
        "partitions" integer NOT NULL CHECK ("partitions" > 0),
        "schema_version" integer NOT NULL,
        "retention_minutes" integer,
        "retention_size_mb" integer,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE "gyre_stream_schema_versions" (
        "stream" text NOT NULL REFERENCES "gyre_streams" ("name") ON DELETE CASCADE,
        "version" integer NOT NULL CHECK ("version" > 0),
        "json_schema" jsonb NOT NULL,
        "pulsar_version" bigint,
        "created_by" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("stream", "version")
      )`);
    // Deleting a stream forgets its idempotency claims: a stream re-created with the name starts afresh.
    await queryRunner.query(`
      CREATE TABLE "gyre_ingest_idempotency" (
        "stream" text NOT NULL REFERENCES "gyre_streams" ("name") ON DELETE CASCADE,
        "key" text NOT NULL,
        "request_hash" text NOT NULL,
        "state" text NOT NULL CHECK ("state" IN ('pending', 'done')),
        "claim_token" text NOT NULL,
        "response" jsonb,
        "claimed_at" timestamptz NOT NULL DEFAULT now(),
        "expires_at" timestamptz NOT NULL,
        PRIMARY KEY ("stream", "key")
      )`);
    // A sweeper deletes expired claims by time.
    await queryRunner.query(
      `CREATE INDEX "gyre_ingest_idempotency_expires_at_idx" ON "gyre_ingest_idempotency" ("expires_at")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "gyre_ingest_idempotency"`);
    await queryRunner.query(`DROP TABLE "gyre_stream_schema_versions"`);
    await queryRunner.query(`DROP TABLE "gyre_streams"`);
  }
}
