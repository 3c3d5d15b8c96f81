export { testEndpoints, TestEndpoints } from './endpoints';
export { uniqueName } from './unique-name';
export { waitFor, WaitForOptions } from './wait-for';
export { AppProcess, freePort, killApp, startApp, waitForApp } from './app-process';
export { tcpConnect } from './tcp-connect';
export { currentTestLogFile, testLogger, testLogSink } from './test-logs';
export { metricFamilies, MetricFamily } from './metric-families';
export {
  createPartitionedTopic,
  pulsarAdminGet,
  readAll,
  readAllText,
  subscriptionBacklog,
  testPulsarClient,
  uniqueTopic,
} from './pulsar';
export { createFreshDatabase, FreshDatabase, migratedDatabase, MigratedDatabase } from './database';
export { emptyPrefix, testS3Settings } from './s3';
export { offloadStream, waitForOffloadedLedgersToLeaveBookKeeper } from './offload';
export { PrivatePostgres } from './private-postgres';
export { ALL_SERVICES_UP, useNestApp } from './nest-app';
export { StartedWorker, WorkerProcesses } from './worker-processes';
export { consoleScreenshot, consoleSignedIn, launchBrowser } from './browser';
