export {
  INFINITE_RETENTION,
  StreamNamespace,
  StreamNamespaceReport,
  StreamNamespaceSettings,
} from './namespace/stream-namespace';
export { StreamsModule } from './streams.module';
