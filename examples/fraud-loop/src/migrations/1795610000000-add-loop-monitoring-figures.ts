import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The latest figures behind each model monitoring gauge (per pipeline, model version and window kind), so an
 * API process that starts fills its gauges from them instead of reporting nothing until its next evaluation.
 * `epoch` is the epoch of an epoch window's figures (null for rolling ones): an older epoch evaluated later
 * does not replace a newer one's.
 */
export class AddLoopMonitoringFigures1795610000000 implements MigrationInterface {
  name = 'AddLoopMonitoringFigures1795610000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "gyre_loop_monitoring_figures" (
        "pipeline" text NOT NULL,
        "model_version" integer NOT NULL,
        "window" text NOT NULL CHECK ("window" IN ('epoch', 'rolling')),
        "epoch" integer,
        "feature_psi_max" double precision,
        "prediction_psi" double precision,
        "ece" double precision,
        "live_auc" double precision,
        "evaluated_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("pipeline", "model_version", "window")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "gyre_loop_monitoring_figures"`);
  }
}
