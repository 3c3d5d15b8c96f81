/** @gyre/core: the adapters of one process, built once; the API and the workers import it and add their own parts. */
export { GyreCoreModule } from './gyre-core.module';
export { PulsarClientEvents } from './pulsar-client-events';
