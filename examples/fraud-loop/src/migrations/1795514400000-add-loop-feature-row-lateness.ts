import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How late a transaction came, kept with its feature row: a redelivered late transaction re-emits its
 * features flagged as the first emission was (null: it came within the stage's allowed lateness).
 */
export class AddLoopFeatureRowLateness1795514400000 implements MigrationInterface {
  name = 'AddLoopFeatureRowLateness1795514400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "gyre_loop_feature_rows" ADD COLUMN "late_by_ms" bigint`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "gyre_loop_feature_rows" DROP COLUMN "late_by_ms"`);
  }
}
