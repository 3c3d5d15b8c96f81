/** @gyre/http-consumption: HTTP pull and streaming consumers of streams (leases, acks, nacks, extensions); the API runs it. */
export { HttpConsumptionModule } from './http-consumption.module';
export { HttpConsumptionService, MAX_PULL } from './http-consumption.service';
export { SUBSCRIPTION_NAME } from './receive-up-to';
export type {
  ExtendResult,
  PullRequest,
  SettleOutcome,
  SettleResult,
  StreamRequest,
} from './http-consumption.service';
export type { LeasedMessage, PullResult } from './leased-message';
export { pullResultJson } from './leased-message';
