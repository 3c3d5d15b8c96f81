import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreatePipelines1795472400000 implements MigrationInterface {
  name = 'CreatePipelines1795472400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "gyre_pipelines" (
        "name" text PRIMARY KEY,
        "version" integer NOT NULL CHECK ("version" > 0),
        "definition" jsonb NOT NULL,
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "gyre_pipelines"`);
  }
}
