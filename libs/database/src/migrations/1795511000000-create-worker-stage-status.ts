import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What each worker process reports about the stages it runs (admin status endpoints read it). */
export class CreateWorkerStageStatus1795511000000 implements MigrationInterface {
  name = 'CreateWorkerStageStatus1795511000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "gyre_workers" (
        "id" text PRIMARY KEY,
        "host" text NOT NULL,
        "pid" integer NOT NULL,
        "started_at" timestamptz NOT NULL,
        "last_seen" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE "gyre_worker_stages" (
        "worker_id" text NOT NULL REFERENCES "gyre_workers" ("id") ON DELETE CASCADE,
        "pipeline" text NOT NULL,
        "stage" text NOT NULL,
        "handler" text NOT NULL,
        "state" text NOT NULL,
        "in_flight" integer NOT NULL,
        "processed" bigint NOT NULL,
        "retried" bigint NOT NULL,
        "dead_lettered" bigint NOT NULL,
        "problem" text,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("worker_id", "pipeline", "stage")
      )`);
    await queryRunner.query(
      `CREATE INDEX "gyre_worker_stages_pipeline" ON "gyre_worker_stages" ("pipeline", "stage")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "gyre_worker_stages"`);
    await queryRunner.query(`DROP TABLE "gyre_workers"`);
  }
}
