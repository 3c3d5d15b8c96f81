import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Model monitoring of shadow scores: each alert state and latest figures row is of a role, `served` (the version
 * served the predictions) or `shadow` (the challenger scored them beside the served score). A version can be
 * both in one window (a challenger promoted within it), so the role joins each primary key. Rows recorded
 * before this migration were all of served predictions.
 */
export class AddLoopMonitoringRoles1796649767619 implements MigrationInterface {
  name = 'AddLoopMonitoringRoles1796649767619';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['gyre_loop_monitoring_alerts', 'gyre_loop_monitoring_figures'])
      await queryRunner.query(`
        ALTER TABLE "${table}"
          ADD COLUMN "role" text NOT NULL DEFAULT 'served' CHECK ("role" IN ('served', 'shadow'))`);
    await queryRunner.query(`
      ALTER TABLE "gyre_loop_monitoring_alerts" DROP CONSTRAINT "gyre_loop_monitoring_alerts_pkey",
        ADD PRIMARY KEY ("pipeline", "window", "model_version", "role", "measure")`);
    await queryRunner.query(`
      ALTER TABLE "gyre_loop_monitoring_figures" DROP CONSTRAINT "gyre_loop_monitoring_figures_pkey",
        ADD PRIMARY KEY ("pipeline", "model_version", "window", "role")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Shadow rows have no place in the served-only keys.
    for (const table of ['gyre_loop_monitoring_alerts', 'gyre_loop_monitoring_figures'])
      await queryRunner.query(`DELETE FROM "${table}" WHERE "role" = 'shadow'`);
    await queryRunner.query(`
      ALTER TABLE "gyre_loop_monitoring_figures" DROP CONSTRAINT "gyre_loop_monitoring_figures_pkey",
        ADD PRIMARY KEY ("pipeline", "model_version", "window")`);
    await queryRunner.query(`
      ALTER TABLE "gyre_loop_monitoring_alerts" DROP CONSTRAINT "gyre_loop_monitoring_alerts_pkey",
        ADD PRIMARY KEY ("pipeline", "window", "model_version", "measure")`);
    for (const table of ['gyre_loop_monitoring_alerts', 'gyre_loop_monitoring_figures'])
      await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "role"`);
  }
}
