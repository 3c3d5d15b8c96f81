import type { LocalStack } from '../stack/stack';

/**
 * What every global setup hands the test files and the apps they start: the stack's endpoints, in the
 * environment where the configuration leaves them unset; returns the keys set here, which the teardown
 * must not mistake for the configuration. On Node below 22 the AWS SDK's version warning is silenced:
 * by now it has been said at most once (the stack's S3 check); on 22+ there is nothing to silence.
 */
export function injectStackEnv(stack: LocalStack): string[] {
  if (Number(process.versions.node.split('.')[0]) < 22)
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const injected: string[] = [];
  for (const [key, value] of Object.entries(stack.endpoints())) {
    if (process.env[key] === undefined || process.env[key] === '') {
      process.env[key] = value;
      injected.push(key);
    }
  }
  return injected;
}
