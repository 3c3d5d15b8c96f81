import 'reflect-metadata';
import { runWorkers } from './workers-app';

runWorkers();
