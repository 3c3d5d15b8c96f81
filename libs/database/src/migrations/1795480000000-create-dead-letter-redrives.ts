import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateDeadLetterRedrives1795480000000 implements MigrationInterface {
  name = 'CreateDeadLetterRedrives1795480000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "gyre_dead_letter_redrives" (
        "dead_letter_topic" text NOT NULL,
        "dead_letter_id" text NOT NULL,
        "stream" text NOT NULL,
        "partition" integer NOT NULL CHECK ("partition" >= 0),
        "sequence_id" bigint NOT NULL CHECK ("sequence_id" >= 0),
        "state" text NOT NULL CHECK ("state" IN ('pending', 'published')),
        "message_id" text,
        "actor" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "published_at" timestamptz,
        PRIMARY KEY ("dead_letter_topic", "dead_letter_id")
      )`);
    // Sequence ids are allocated per dead-letter topic: max + 1 under the topic's advisory lock.
    await queryRunner.query(
      `CREATE UNIQUE INDEX "gyre_dead_letter_redrives_sequence_idx" ON "gyre_dead_letter_redrives" ("dead_letter_topic", "sequence_id")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "gyre_dead_letter_redrives"`);
  }
}
