import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StackError } from './errors';
import { checkJava, checkMaven, parseJavaMajor } from './prerequisites';

/** A fake `java` printing what a given JDK prints for -version. */
function fakeJava(versionLine: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'gyre-java-'));
  const path = join(dir, 'java');
  writeFileSync(path, `#!/bin/sh\necho '${versionLine}' >&2\n`);
  chmodSync(path, 0o755);
  return path;
}

function caught(fn: () => unknown): StackError {
  try {
    fn();
  } catch (error) {
    if (error instanceof StackError) return error;
    throw error;
  }
  throw new Error('expected a StackError');
}

describe('parseJavaMajor', () => {
  it('reads modern and legacy version strings', () => {
    expect(parseJavaMajor('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(parseJavaMajor('openjdk version "21" 2023-09-19')).toBe(21);
    expect(parseJavaMajor('java version "1.8.0_392"')).toBe(8);
    expect(parseJavaMajor('no version here')).toBeUndefined();
  });
});

describe(checkJava.name, () => {
  it('accepts Java 17', () => {
    const java = fakeJava('openjdk version "17.0.15" 2025-04-15');
    expect(checkJava(java)).toBe(java);
  });

  it('names a missing Java and how to get one', () => {
    const error = caught(() => checkJava('/nonexistent/bin/java'));
    expect(error.code).toBe('JAVA_MISSING');
    expect(error.message).toMatch(/Java 17\+ is required.*not found.*install a JDK 17\+/);
    expect(error.message.split('\n')).toHaveLength(1);
  });

  it('names a Java that is too old', () => {
    const error = caught(() => checkJava(fakeJava('java version "1.8.0_392"')));
    expect(error.code).toBe('JAVA_TOO_OLD');
    expect(error.message).toContain('is version 8');
  });
});

describe(checkMaven.name, () => {
  it('names a missing Maven', () => {
    const error = caught(() => checkMaven('/nonexistent/bin/mvn'));
    expect(error.code).toBe('MAVEN_MISSING');
    expect(error.message).toMatch(/Maven is required.*not found/);
  });
});
