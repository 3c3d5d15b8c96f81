import { CreateAuditLog1795464000000 } from './1795464000000-create-audit-log';
import { CreateStreams1795465320000 } from './1795465320000-create-streams';
import { CreatePipelines1795472400000 } from './1795472400000-create-pipelines';
import { CreateApiKeys1795476000000 } from './1795476000000-create-api-keys';
import { CreateDeadLetterRedrives1795480000000 } from './1795480000000-create-dead-letter-redrives';
import { CreateReplayJobs1795486400000 } from './1795486400000-create-replay-jobs';
import { CreateReplayDatasetsAndLoopLabels1795503600000 } from './1795503600000-create-replay-datasets-and-loop-labels';
import { CreateWorkerStageStatus1795511000000 } from './1795511000000-create-worker-stage-status';

// The platform's tables only: an extension brings its own list (DataSourceRole.migrations).
// Listed, not globbed: ts-node runs through swc, and a glob would miss or double-load files in dist/.
// Append new migrations in timestamp order; never edit one that has shipped. The mixed one below also
// creates the fraud example's gyre_loop_labels: shipped before the example moved out, so it stays (docs/architecture.md).
export const MIGRATIONS = [
  CreateAuditLog1795464000000,
  CreateStreams1795465320000,
  CreatePipelines1795472400000,
  CreateApiKeys1795476000000,
  CreateDeadLetterRedrives1795480000000,
  CreateReplayJobs1795486400000,
  CreateReplayDatasetsAndLoopLabels1795503600000,
  CreateWorkerStageStatus1795511000000,
];
