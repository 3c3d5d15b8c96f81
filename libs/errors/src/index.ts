export { GyreError } from './gyre-error';
export type { ErrorProblem, GyreErrorOptions } from './gyre-error';
