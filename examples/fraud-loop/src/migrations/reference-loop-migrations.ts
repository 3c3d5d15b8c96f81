import type { MigrationClass } from '@gyre/database';
import { CreateReferenceLoop1795490000000 } from './1795490000000-create-reference-loop';
import { AddLoopFeatureRowLateness1795514400000 } from './1795514400000-add-loop-feature-row-lateness';
import { CreateLoopMonitoring1795600000000 } from './1795600000000-create-loop-monitoring';
import { AddLoopMonitoringFigures1795610000000 } from './1795610000000-add-loop-monitoring-figures';
import { AddLoopModelRoles1796616000000 } from './1796616000000-add-loop-model-roles';
import { AddLoopMonitoringRoles1796649767619 } from './1796649767619-add-loop-monitoring-roles';

/**
 * The loop's own tables (gyre_loop_*), on top of the platform's schema: the process that runs the example's
 * API applies them (main-api.ts). Their timestamps predate the move out of libs/database and stay, so databases
 * that applied them there find them applied. gyre_loop_labels is not here: the platform's mixed migration
 * CreateReplayDatasetsAndLoopLabels1795503600000 creates it (README). Append new ones; never edit a shipped one.
 */
export const REFERENCE_LOOP_MIGRATIONS: readonly MigrationClass[] = [
  CreateReferenceLoop1795490000000,
  AddLoopFeatureRowLateness1795514400000,
  CreateLoopMonitoring1795600000000,
  AddLoopMonitoringFigures1795610000000,
  AddLoopModelRoles1796616000000,
  AddLoopMonitoringRoles1796649767619,
];
