/** @gyre/core: the adapters of one process, built once (Immich's shared providers under ApiModule / MicroservicesModule). */
export { GyreCoreModule } from './gyre-core.module';
export { PulsarClientEvents } from './pulsar-client-events';
export { createPulsarClient } from './pulsar-client.factory';
