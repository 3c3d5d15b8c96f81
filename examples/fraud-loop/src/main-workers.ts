import 'reflect-metadata';
import { runWorkers } from '../../../apps/workers/src/workers-app';
import { referenceLoopWorkers } from './reference-loop.module';

/** The generic workers with the fraud loop's handlers and label source: what the demo (npm start) runs. */
runWorkers({ extensions: [referenceLoopWorkers] });
