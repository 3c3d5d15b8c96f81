import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engines } from '../package.json';

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

describe("set-up's Node check", () => {
  // setup.js is plain JavaScript that runs before node_modules exists; required here only for its check.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { nodeSatisfies } = require('./setup.js') as {
    nodeSatisfies: (version: string, range: string) => boolean;
  };

  it('accepts the LTS lines package.json supports: 20.19+, 22.13+ and 24+', () => {
    for (const version of ['20.19.0', '20.20.2', '22.13.0', '22.22.1', '24.0.0', '24.22.3', '26.1.0'])
      expect([version, nodeSatisfies(version, engines.node)]).toEqual([version, true]);
  });

  it('refuses older minors of a supported line and the odd-numbered lines between them', () => {
    for (const version of ['18.20.8', '20.18.3', '21.7.3', '22.12.0', '23.11.0'])
      expect([version, nodeSatisfies(version, engines.node)]).toEqual([version, false]);
  });

  it('accepts the Node running this test (the one the suite was checked on)', () => {
    expect(nodeSatisfies(process.versions.node, engines.node)).toBe(true);
  });

  it('names a range form it cannot read instead of guessing', () => {
    expect(() => nodeSatisfies('22.13.0', '~22.13.0')).toThrow('unsupported engines.node form "~22.13.0"');
  });
});
