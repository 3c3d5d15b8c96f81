export { testEndpoints, TestEndpoints } from './endpoints';
export { uniqueName } from './unique-name';
export { waitFor, WaitForOptions } from './wait-for';
export { AppProcess, freePort, startApp } from './app-process';
export { tcpConnect } from './tcp-connect';
export { currentTestLogFile, testLogger, testLogSink } from './test-logs';
export { metricFamilies, MetricFamily } from './metric-families';
