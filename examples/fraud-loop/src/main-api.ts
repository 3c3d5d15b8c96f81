import 'reflect-metadata';
import { runApi } from '../../../apps/api/src/api-app';
import { REFERENCE_LOOP_MIGRATIONS } from './migrations/reference-loop-migrations';
import { ReferenceLoopApiModule } from './reference-loop.module';

/** The generic API with the fraud loop's lineage routes and tables (it migrates): what the demo (npm start) runs. */
runApi({ extensions: [ReferenceLoopApiModule], migrations: REFERENCE_LOOP_MIGRATIONS });
