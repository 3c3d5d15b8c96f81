import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Model monitoring's state: each pipeline's thresholds, whether each (window, model version, measure) is
 * over its threshold now (so a crossing is reported once, when it happens), and which closed epochs have
 * been evaluated (so each is evaluated once, by one API process).
 */
export class CreateLoopMonitoring1795600000000 implements MigrationInterface {
  name = 'CreateLoopMonitoring1795600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "gyre_loop_monitoring_thresholds" (
        "pipeline" text PRIMARY KEY,
        "thresholds" jsonb NOT NULL,
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE "gyre_loop_monitoring_alerts" (
        "pipeline" text NOT NULL,
        "window" text NOT NULL,
        "model_version" integer NOT NULL,
        "measure" text NOT NULL,
        "crossed" boolean NOT NULL,
        "value" double precision,
        "threshold" double precision,
        "changed_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("pipeline", "window", "model_version", "measure")
      )`);
    await queryRunner.query(`
      CREATE TABLE "gyre_loop_monitoring_epochs" (
        "pipeline" text NOT NULL,
        "epoch" integer NOT NULL,
        "evaluated_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("pipeline", "epoch")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "gyre_loop_monitoring_epochs"`);
    await queryRunner.query(`DROP TABLE "gyre_loop_monitoring_alerts"`);
    await queryRunner.query(`DROP TABLE "gyre_loop_monitoring_thresholds"`);
  }
}
