/** @gyre/http-consumption: HTTP pull consumers of streams (leases, acks, nacks); the API runs it. */
export { HttpConsumptionModule } from './http-consumption.module';
export { HttpConsumptionService, MAX_PULL, SUBSCRIPTION_NAME } from './http-consumption.service';
export type { ExtendResult, PullRequest, SettleOutcome, SettleResult } from './http-consumption.service';
export type { LeasedMessage, PullResult } from './leased-message';
export { pullResultJson } from './leased-message';
