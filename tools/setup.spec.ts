import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs `node tools/setup.js` with a PATH that holds only node and the given fake tools. */
function setupWith(tools: Record<string, string>): { status: number | null; stderr: string } {
  const bin = mkdtempSync(join(tmpdir(), 'gyre-path-'));
  symlinkSync(process.execPath, join(bin, 'node'));
  for (const [name, script] of Object.entries(tools)) {
    writeFileSync(join(bin, name), `#!/bin/sh\n${script}\n`);
    chmodSync(join(bin, name), 0o755);
  }
  const env = { PATH: bin, HOME: process.env.HOME ?? '/tmp' };
  const result = spawnSync(process.execPath, [join(__dirname, 'setup.js')], { env, encoding: 'utf8' });
  return { status: result.status, stderr: result.stderr };
}

const java17 = `echo 'openjdk version "17.0.15" 2025-04-15' >&2`;

describe('npm run setup', () => {
  it('stops with one clear line when Java is missing', () => {
    const { status, stderr } = setupWith({});
    expect(status).toBe(1);
    expect(stderr.trim()).toMatch(
      /^setup: Java 17\+ is required .* "java" was not found: install a JDK 17\+ or set JAVA_HOME$/,
    );
  });

  it('stops with one clear line when Java is too old', () => {
    const { status, stderr } = setupWith({ java: `echo 'java version "1.8.0_392"' >&2` });
    expect(status).toBe(1);
    expect(stderr.trim()).toBe(
      'setup: Java 17+ is required, but "java" is version 8: install a JDK 17+ or point JAVA_HOME at one',
    );
  });

  it('stops with one clear line when Maven is missing', () => {
    const { status, stderr } = setupWith({ java: java17 });
    expect(status).toBe(1);
    expect(stderr.trim()).toMatch(/^setup: Maven is required .* "mvn" was not found: install Maven 3\.8\+$/);
  });
});
