import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAuditLog1795464000000 implements MigrationInterface {
  name = 'CreateAuditLog1795464000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "gyre_audit_log" (
        "id" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        "actor" text NOT NULL,
        "action" text NOT NULL,
        "target" text NOT NULL,
        "before" jsonb,
        "after" jsonb,
        "at" timestamptz NOT NULL DEFAULT now()
      )`);
    // The admin UI reads one target's history, newest first, and the whole log by time.
    await queryRunner.query(
      `CREATE INDEX "gyre_audit_log_target_at_idx" ON "gyre_audit_log" ("target", "at")`,
    );
    await queryRunner.query(`CREATE INDEX "gyre_audit_log_at_idx" ON "gyre_audit_log" ("at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "gyre_audit_log"`);
  }
}
