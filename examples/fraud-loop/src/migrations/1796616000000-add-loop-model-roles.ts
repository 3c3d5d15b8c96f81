import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Champion and challenger: each model version's role (the champion serves, the challenger scores in shadow,
 * retired ones do neither), at most one of each per pipeline, and every role change for lineage. Versions
 * recorded before this migration: the newest of a pipeline becomes its champion, the others retired.
 */
export class AddLoopModelRoles1796616000000 implements MigrationInterface {
  name = 'AddLoopModelRoles1796616000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE "gyre_loop_model_versions"
        ADD COLUMN "role" text CHECK ("role" IN ('champion', 'challenger', 'retired'))`);
    await queryRunner.query(`
      UPDATE "gyre_loop_model_versions" v
         SET "role" = CASE WHEN v."version" = (SELECT max(n."version") FROM "gyre_loop_model_versions" n
                                                WHERE n."pipeline" = v."pipeline")
                           THEN 'champion' ELSE 'retired' END`);
    await queryRunner.query(`ALTER TABLE "gyre_loop_model_versions" ALTER COLUMN "role" SET NOT NULL`);
    await queryRunner.query(`
      CREATE UNIQUE INDEX "gyre_loop_model_versions_one_champion" ON "gyre_loop_model_versions" ("pipeline")
       WHERE "role" = 'champion'`);
    await queryRunner.query(`
      CREATE UNIQUE INDEX "gyre_loop_model_versions_one_challenger" ON "gyre_loop_model_versions" ("pipeline")
       WHERE "role" = 'challenger'`);
    await queryRunner.query(`
      CREATE TABLE "gyre_loop_model_role_changes" (
        "id" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        "pipeline" text NOT NULL,
        "version" integer NOT NULL,
        "from_role" text,
        "to_role" text NOT NULL CHECK ("to_role" IN ('champion', 'challenger', 'retired')),
        "reason" text NOT NULL,
        "actor" text NOT NULL,
        "comparison" jsonb,
        "at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX "gyre_loop_model_role_changes_pipeline_idx" ON "gyre_loop_model_role_changes" ("pipeline", "id")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "gyre_loop_model_role_changes"`);
    await queryRunner.query(`DROP INDEX "gyre_loop_model_versions_one_challenger"`);
    await queryRunner.query(`DROP INDEX "gyre_loop_model_versions_one_champion"`);
    await queryRunner.query(`ALTER TABLE "gyre_loop_model_versions" DROP COLUMN "role"`);
  }
}
