import { MlError } from '@gyre/ml';
import type { DataSource, EntityManager } from 'typeorm';
import {
  ChallengerComparison,
  compareOnMatured,
  MaturedPair,
  ModelRole,
  PromotionPolicy,
  promotionVerdict,
} from './promotion-policy';
import { queryRows } from './query-rows';

/** A version's artifact, as infer loads it. */
export interface StoredModel {
  readonly version: number;
  readonly bucket: string;
  readonly key: string;
  readonly checksum: string;
}

/** What infer runs for a pipeline: the champion serves; the challenger, if any, scores in shadow. */
export interface ServingRoles {
  readonly champion?: StoredModel;
  readonly challenger?: StoredModel;
}

export interface RoleChange {
  readonly version: number;
  readonly fromRole: ModelRole | null;
  readonly toRole: ModelRole;
  readonly reason: string;
  readonly actor: string;
  readonly comparison: ChallengerComparison | null;
  readonly at: string;
}

/** A pipeline's versions with their roles, the live comparison, and every role change (oldest first). */
export interface ModelRolesView {
  readonly pipeline: string;
  readonly versions: ReadonlyArray<{
    version: number;
    epoch: number;
    role: ModelRole;
    createdAt: string;
    heldOut: Record<string, number>;
  }>;
  readonly comparison: ChallengerComparison | null;
  readonly changes: readonly RoleChange[];
}

/** The result of a promotion or rollback: whether roles changed (a repeated call changes nothing). */
export interface RoleChangeResult {
  readonly changed: boolean;
  readonly champion: number;
  readonly challenger: number | null;
  readonly comparison: ChallengerComparison | null;
}

interface Change {
  version: number;
  /** null for a version just trained (lineage shows where it came in). */
  from: ModelRole | null;
  to: ModelRole;
}

/** Actors of the changes the loop makes itself (an admin's change records the id of its API key). */
export const LOOP_ACTORS = { train: 'gyre:train', autoPromotion: 'gyre:auto-promotion' } as const;

/**
 * Champion and challenger in Postgres (gyre_loop_model_versions.role, gyre_loop_model_role_changes). Every
 * change takes the pipeline's advisory lock inside its transaction, so two workers (or a worker and an admin)
 * deciding at once change roles once; the unique partial indexes hold one champion and one challenger at most.
 */
export class ModelRolesStore {
  constructor(private readonly dataSource: DataSource) {}

  async serving(pipeline: string): Promise<ServingRoles> {
    const rows = queryRows<StoredModel & { role: ModelRole }>(
      await this.dataSource.query(
        `SELECT version, role, artifact_bucket AS bucket, artifact_key AS key, checksum
           FROM gyre_loop_model_versions WHERE pipeline = $1 AND role IN ('champion', 'challenger')`,
        [pipeline],
      ),
    );
    const pick = (role: ModelRole) => {
      const row = rows.find((candidate) => candidate.role === role);
      return row && { version: row.version, bucket: row.bucket, key: row.key, checksum: row.checksum };
    };
    return { champion: pick('champion'), challenger: pick('challenger') };
  }

  /** The champion against the challenger on the matured events both scored; undefined without a challenger. */
  comparison(pipeline: string): Promise<ChallengerComparison | undefined> {
    return compareCurrent(this.dataSource.manager, pipeline);
  }

  /** Promotes the challenger if it beats the champion under `policy` (`auto` only); the verdict either way. */
  autoPromote(
    pipeline: string,
    policy: PromotionPolicy,
  ): Promise<{ promoted: boolean; reason: string; comparison?: ChallengerComparison }> {
    if (policy.mode !== 'auto') return Promise.resolve({ promoted: false, reason: 'promotion is manual' });
    return this.dataSource.transaction(async (manager) => {
      await lockRoles(manager, pipeline);
      const comparison = await compareCurrent(manager, pipeline);
      if (!comparison) return { promoted: false, reason: 'no challenger' };
      const verdict = promotionVerdict(policy, comparison);
      if (verdict.promote)
        await applyChanges(
          manager,
          pipeline,
          [
            { version: comparison.champion, from: 'champion', to: 'retired' },
            { version: comparison.challenger, from: 'challenger', to: 'champion' },
          ],
          {
            actor: LOOP_ACTORS.autoPromotion,
            action: 'model.auto-promote',
            reason: verdict.reason,
            comparison,
          },
        );
      return { promoted: verdict.promote, reason: verdict.reason, comparison };
    });
  }

  /** An admin's promotion of the challenger, whatever the comparison says (it is recorded with the change). */
  promote(pipeline: string, version: number, actor: string): Promise<RoleChangeResult> {
    return this.dataSource.transaction(async (manager) => {
      await lockRoles(manager, pipeline);
      const role = await roleOf(manager, pipeline, version);
      const comparison = (await compareCurrent(manager, pipeline)) ?? null;
      if (role === 'champion') return currentResult(manager, pipeline, false, comparison);
      if (role !== 'challenger')
        throw new MlError(
          'MODEL_ROLE_CONFLICT',
          `version ${version} of pipeline "${pipeline}" is ${role}: only the challenger can be promoted ` +
            '(an earlier version comes back by rollback)',
        );
      const champion = await versionIn(manager, pipeline, 'champion');
      await applyChanges(
        manager,
        pipeline,
        [...retiring(champion, 'champion'), { version, from: 'challenger', to: 'champion' }],
        { actor, action: 'model.promote', reason: 'promoted by an admin', comparison },
      );
      return currentResult(manager, pipeline, true, comparison);
    });
  }

  /** Makes an earlier version the champion again in one call; the challenger keeps scoring in shadow. */
  rollback(pipeline: string, version: number, actor: string): Promise<RoleChangeResult> {
    return this.dataSource.transaction(async (manager) => {
      await lockRoles(manager, pipeline);
      const role = await roleOf(manager, pipeline, version);
      if (role === 'champion') return currentResult(manager, pipeline, false, null);
      const champion = await versionIn(manager, pipeline, 'champion');
      if (champion !== null && version > champion)
        throw new MlError(
          'MODEL_ROLE_CONFLICT',
          `version ${version} of pipeline "${pipeline}" is newer than the champion v${champion}: ` +
            'rollback goes to an earlier version (a newer one is promoted)',
        );
      await applyChanges(
        manager,
        pipeline,
        [...retiring(champion, 'champion'), { version, from: role, to: 'champion' }],
        {
          actor,
          action: 'model.rollback',
          reason: `rolled back from v${champion} by an admin`,
          comparison: null,
        },
      );
      return currentResult(manager, pipeline, true, null);
    });
  }

  async view(pipeline: string): Promise<ModelRolesView> {
    const versions = queryRows<{
      version: number;
      epoch: number;
      role: ModelRole;
      created_at: Date;
      metrics: Record<string, number>;
    }>(
      await this.dataSource.query(
        `SELECT version, epoch, role, created_at, metrics FROM gyre_loop_model_versions
          WHERE pipeline = $1 ORDER BY version`,
        [pipeline],
      ),
    );
    return {
      pipeline,
      versions: versions.map((row) => ({
        version: row.version,
        epoch: row.epoch,
        role: row.role,
        createdAt: row.created_at.toISOString(),
        heldOut: row.metrics,
      })),
      comparison: (await this.comparison(pipeline)) ?? null,
      changes: await this.changes(pipeline),
    };
  }

  /** Every role change of a pipeline, oldest first. */
  async changes(pipeline: string): Promise<RoleChange[]> {
    const rows = queryRows<{
      version: number;
      from_role: ModelRole | null;
      to_role: ModelRole;
      reason: string;
      actor: string;
      comparison: ChallengerComparison | null;
      at: Date;
    }>(
      await this.dataSource.query(
        `SELECT version, from_role, to_role, reason, actor, comparison, at FROM gyre_loop_model_role_changes
          WHERE pipeline = $1 ORDER BY id`,
        [pipeline],
      ),
    );
    return rows.map((row) => ({
      version: row.version,
      fromRole: row.from_role,
      toRole: row.to_role,
      reason: row.reason,
      actor: row.actor,
      comparison: row.comparison,
      at: row.at.toISOString(),
    }));
  }
}

/**
 * The role of a newly trained version, inside train's recording transaction, after its row was inserted
 * (as retired): the first version becomes the champion, a later one the challenger (retiring an unpromoted one
 * before it). A version trained on the pipeline's labelled history (`onHistory`: its epoch is one of the
 * history epochs) becomes the champion at once: it is the model a team deploys when it starts, not a challenger
 * of one. A version recorded before (`inserted` false: a redelivered training) keeps its role. Returns the
 * champion after it: the model that serves the next epoch.
 */
export async function assignTrainedRole(
  manager: EntityManager,
  pipeline: string,
  version: number,
  inserted: boolean,
  onHistory = false,
): Promise<{ champion: number }> {
  await lockRoles(manager, pipeline);
  if (inserted) {
    const champion = await versionIn(manager, pipeline, 'champion');
    const superseded = await versionIn(manager, pipeline, 'challenger');
    const role: ModelRole = champion === null || onHistory ? 'champion' : 'challenger';
    await applyChanges(
      manager,
      pipeline,
      [
        ...retiring(superseded, 'challenger'),
        ...(role === 'champion' ? retiring(champion, 'champion') : []),
        { version, from: null, to: role },
      ],
      {
        actor: LOOP_ACTORS.train,
        action: 'model.trained',
        reason:
          champion === null
            ? 'first version of the pipeline'
            : role === 'champion'
              ? `trained on the labelled history; replaces champion v${champion}`
              : `trained; shadows champion v${champion}`,
        comparison: null,
      },
    );
  }
  return { champion: (await versionIn(manager, pipeline, 'champion')) ?? version };
}

/** Serialises role changes of one pipeline across processes, until the transaction ends. */
async function lockRoles(manager: EntityManager, pipeline: string): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('gyre_loop_model_roles:' || $1, 0))`, [
    pipeline,
  ]);
}

async function versionIn(manager: EntityManager, pipeline: string, role: ModelRole): Promise<number | null> {
  const [row] = queryRows<{ version: number }>(
    await manager.query(`SELECT version FROM gyre_loop_model_versions WHERE pipeline = $1 AND role = $2`, [
      pipeline,
      role,
    ]),
  );
  return row?.version ?? null;
}

async function roleOrNull(
  manager: EntityManager,
  pipeline: string,
  version: number,
): Promise<ModelRole | null> {
  const [row] = queryRows<{ role: ModelRole | null }>(
    await manager.query(`SELECT role FROM gyre_loop_model_versions WHERE pipeline = $1 AND version = $2`, [
      pipeline,
      version,
    ]),
  );
  return row ? row.role : null;
}

async function roleOf(manager: EntityManager, pipeline: string, version: number): Promise<ModelRole> {
  const role = await roleOrNull(manager, pipeline, version);
  if (role === null)
    throw new MlError('UNKNOWN_MODEL_VERSION', `pipeline "${pipeline}" has no model version ${version}`);
  return role;
}

async function compareCurrent(
  manager: EntityManager,
  pipeline: string,
): Promise<ChallengerComparison | undefined> {
  const champion = await versionIn(manager, pipeline, 'champion');
  const challenger = await versionIn(manager, pipeline, 'challenger');
  if (champion === null || challenger === null) return undefined;
  // Matured: the label is in. Same events: the champion served the score and the challenger shadowed it.
  const pairs = queryRows<MaturedPair>(
    await manager.query(
      `SELECT (prediction->>'score')::float8 AS champion, (prediction->'shadow'->>'score')::float8 AS challenger,
              label::int AS label
         FROM gyre_loop_joins
        WHERE pipeline = $1 AND label IS NOT NULL
          AND (prediction->>'modelVersion')::int = $2 AND (prediction->'shadow'->>'modelVersion')::int = $3`,
      [pipeline, champion, challenger],
    ),
  );
  return compareOnMatured(champion, challenger, pairs);
}

async function currentResult(
  manager: EntityManager,
  pipeline: string,
  changed: boolean,
  comparison: ChallengerComparison | null,
): Promise<RoleChangeResult> {
  return {
    changed,
    champion: (await versionIn(manager, pipeline, 'champion')) ?? 0,
    challenger: await versionIn(manager, pipeline, 'challenger'),
    comparison,
  };
}

/** Applies the changes in order (a version leaves its role before another takes it), with lineage and audit. */
/** The change that retires `version` from `from`, if there is such a version. */
function retiring(version: number | null, from: 'champion' | 'challenger'): Change[] {
  return version === null ? [] : [{ version, from, to: 'retired' }];
}

async function applyChanges(
  manager: EntityManager,
  pipeline: string,
  changes: readonly Change[],
  why: { actor: string; action: string; reason: string; comparison: ChallengerComparison | null },
): Promise<void> {
  const before = await rolesOf(manager, pipeline);
  for (const change of changes) {
    await manager.query(
      `UPDATE gyre_loop_model_versions SET role = $3 WHERE pipeline = $1 AND version = $2`,
      [pipeline, change.version, change.to],
    );
    await manager.query(
      `INSERT INTO gyre_loop_model_role_changes (pipeline, version, from_role, to_role, reason, actor, comparison)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)`,
      [
        pipeline,
        change.version,
        change.from,
        change.to,
        why.reason,
        why.actor,
        why.comparison && JSON.stringify(why.comparison),
      ],
    );
  }
  const target = changes[changes.length - 1];
  const after = await rolesOf(manager, pipeline);
  await manager.query(
    `INSERT INTO gyre_audit_log (actor, action, target, before, after) VALUES ($1, $2, $3, $4::jsonb, $5::jsonb)`,
    [
      why.actor,
      why.action,
      `pipeline/${pipeline}/model/${target.version}`,
      JSON.stringify(before),
      JSON.stringify({ ...after, reason: why.reason }),
    ],
  );
}

async function rolesOf(
  manager: EntityManager,
  pipeline: string,
): Promise<{ champion: number | null; challenger: number | null }> {
  return {
    champion: await versionIn(manager, pipeline, 'champion'),
    challenger: await versionIn(manager, pipeline, 'challenger'),
  };
}
