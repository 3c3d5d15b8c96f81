import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateApiKeys1795476000000 implements MigrationInterface {
  name = 'CreateApiKeys1795476000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "gyre_api_keys" (
        "id" text PRIMARY KEY,
        "name" text NOT NULL CHECK (length("name") BETWEEN 1 AND 200),
        "role" text NOT NULL CHECK ("role" IN ('producer', 'consumer', 'admin')),
        "scope" jsonb NOT NULL CHECK ("scope" ->> 'kind' IN ('all', 'streams', 'prefix')),
        "secret_hash" text NOT NULL,
        "created_by" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "rotated_at" timestamptz,
        "last_used_at" timestamptz,
        "revoked_at" timestamptz
      )`);
    // One live key per name: tools find "their" key by name (the demo reuses its admin key).
    await queryRunner.query(
      `CREATE UNIQUE INDEX "gyre_api_keys_live_name_idx" ON "gyre_api_keys" ("name") WHERE "revoked_at" IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "gyre_api_keys"`);
  }
}
