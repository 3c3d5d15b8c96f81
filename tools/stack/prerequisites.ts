import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { StackError } from './errors';
import { pulsarHome, s3proxyHome } from './paths';

const MIN_JAVA = 17;

/** Parses `java -version` output ("openjdk version "17.0.15"", "1.8.0_392", ...) into its feature number. */
export function parseJavaMajor(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] ? Number(match[2]) : first;
}

export function checkJava(
  java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java',
): string {
  const result = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (result.error) {
    throw new StackError(
      `Java ${MIN_JAVA}+ is required to run Pulsar and the S3 server, but "${java}" was not found: install a JDK ${MIN_JAVA}+ (e.g. apt-get install openjdk-17-jdk-headless) or set JAVA_HOME`,
      'JAVA_MISSING',
    );
  }
  const major = parseJavaMajor(`${result.stderr}${result.stdout}`);
  if (major === undefined || major < MIN_JAVA) {
    throw new StackError(
      `Java ${MIN_JAVA}+ is required, but "${java}" is version ${major ?? 'unknown'}: install a JDK ${MIN_JAVA}+ or point JAVA_HOME at one`,
      'JAVA_TOO_OLD',
    );
  }
  return java;
}

export function checkMaven(mvn = 'mvn'): void {
  const result = spawnSync(mvn, ['--version'], { encoding: 'utf8' });
  if (result.error) {
    throw new StackError(
      'Maven is required to fetch Pulsar and the S3 server from Maven Central, but "mvn" was not found: install it (e.g. apt-get install maven)',
      'MAVEN_MISSING',
    );
  }
}

/** The Maven-resolved runtimes must be in place (`npm run setup` resolves them). */
export function checkRuntimes(): void {
  const missing: string[] = [];
  if (!hasJar(join(pulsarHome, 'lib'), /^pulsar-broker-\d/)) missing.push('pulsar/lib');
  if (!hasJar(join(pulsarHome, 'offloaders'), /^tiered-storage-jcloud-.*\.nar$/))
    missing.push('pulsar/offloaders');
  if (!hasJar(join(s3proxyHome, 'lib'), /^s3proxy-\d/)) missing.push('tools/s3proxy/lib');
  if (missing.length > 0) {
    throw new StackError(
      `The service runtimes are not resolved yet (${missing.join(', ')}): run "npm run setup" first`,
      'RUNTIME_MISSING',
    );
  }
}

function hasJar(dir: string, pattern: RegExp): boolean {
  return existsSync(dir) && readdirSync(dir).some((file) => pattern.test(file));
}
