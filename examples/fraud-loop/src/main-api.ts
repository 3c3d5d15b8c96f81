import 'reflect-metadata';
import { runApi } from '../../../apps/api/src/api-app';
import { ReferenceLoopApiModule } from './reference-loop.module';

/** The generic API with the fraud loop's lineage routes: what the demo (npm start) runs. */
runApi({ extensions: [ReferenceLoopApiModule] });
