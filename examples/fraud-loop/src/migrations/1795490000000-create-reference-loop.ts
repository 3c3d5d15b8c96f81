import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The fraud reference loop's bookkeeping: epochs, model versions, datasets, feature state and joins. */
export class CreateReferenceLoop1795490000000 implements MigrationInterface {
  name = 'CreateReferenceLoop1795490000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "gyre_loop_epochs" (
        "pipeline" text NOT NULL,
        "epoch" integer NOT NULL CHECK ("epoch" >= 1),
        "state" text NOT NULL CHECK ("state" IN ('open', 'training', 'closed')),
        "serving_model_version" integer,
        "trained_model_version" integer,
        "training_claimed_at" timestamptz,
        "opened_at" timestamptz NOT NULL DEFAULT now(),
        "closed_at" timestamptz,
        PRIMARY KEY ("pipeline", "epoch")
      )`);
    await queryRunner.query(`
      CREATE TABLE "gyre_loop_model_versions" (
        "pipeline" text NOT NULL,
        "version" integer NOT NULL CHECK ("version" >= 1),
        "epoch" integer NOT NULL,
        "artifact_bucket" text NOT NULL,
        "artifact_key" text NOT NULL,
        "checksum" text NOT NULL,
        "dataset_key" text NOT NULL,
        "metrics" jsonb NOT NULL,
        "training" jsonb NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("pipeline", "version"),
        UNIQUE ("pipeline", "epoch")
      )`);
    await queryRunner.query(`
      CREATE TABLE "gyre_loop_dataset_manifests" (
        "pipeline" text NOT NULL,
        "epoch" integer NOT NULL,
        "bucket" text NOT NULL,
        "keys" jsonb NOT NULL,
        "row_count" integer NOT NULL CHECK ("row_count" >= 0),
        "schema" jsonb NOT NULL,
        "checksum" text NOT NULL,
        "size_bytes" bigint NOT NULL,
        "metadata" jsonb NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("pipeline", "epoch")
      )`);
    await queryRunner.query(`
      CREATE TABLE "gyre_loop_card_states" (
        "pipeline" text NOT NULL,
        "card_id" text NOT NULL,
        "snapshot" jsonb NOT NULL,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("pipeline", "card_id")
      )`);
    await queryRunner.query(`
      CREATE TABLE "gyre_loop_feature_rows" (
        "pipeline" text NOT NULL,
        "event_id" text NOT NULL,
        "card_id" text NOT NULL,
        "epoch" integer NOT NULL,
        "event_time" bigint NOT NULL,
        "values" jsonb NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("pipeline", "event_id")
      )`);
    await queryRunner.query(`
      CREATE TABLE "gyre_loop_label_rates" (
        "pipeline" text NOT NULL,
        "kind" text NOT NULL CHECK ("kind" IN ('merchant', 'category')),
        "key" text NOT NULL,
        "labels" integer NOT NULL DEFAULT 0,
        "fraud" integer NOT NULL DEFAULT 0,
        PRIMARY KEY ("pipeline", "kind", "key")
      )`);
    await queryRunner.query(`
      CREATE TABLE "gyre_loop_joins" (
        "pipeline" text NOT NULL,
        "event_id" text NOT NULL,
        "prediction" jsonb,
        "label" smallint CHECK ("label" IN (0, 1)),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("pipeline", "event_id")
      )`);
    await queryRunner.query(`
      CREATE TABLE "gyre_loop_examples" (
        "pipeline" text NOT NULL,
        "epoch" integer NOT NULL,
        "event_id" text NOT NULL,
        "values" jsonb NOT NULL,
        "label" smallint NOT NULL CHECK ("label" IN (0, 1)),
        "score" double precision NOT NULL,
        "model_version" integer,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("pipeline", "epoch", "event_id")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'gyre_loop_examples',
      'gyre_loop_joins',
      'gyre_loop_label_rates',
      'gyre_loop_feature_rows',
      'gyre_loop_card_states',
      'gyre_loop_dataset_manifests',
      'gyre_loop_model_versions',
      'gyre_loop_epochs',
    ])
      await queryRunner.query(`DROP TABLE "${table}"`);
  }
}
