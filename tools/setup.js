#!/usr/bin/env node
// All set-up for a fresh clone, idempotent and quick when nothing changed: checks the prerequisites,
// installs npm dependencies from the lockfile, and resolves Pulsar and the S3 server from Maven Central.
// Plain JavaScript on purpose: it runs before node_modules exists.
'use strict';
const { spawnSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const stamps = join(root, '.data', 'setup');

function fail(message) {
  process.stderr.write(`setup: ${message}\n`);
  process.exit(1);
}

/**
 * Whether a Node version is inside package.json's engines range. Only the forms that field uses are read
 * ("^20.19.0 || ^22.13.0 || >=24.0.0"): node_modules, and so semver, may not exist yet.
 */
function nodeSatisfies(version, range) {
  const parse = (text) => text.split('.').map(Number);
  const atLeast = (have, want) => {
    for (let i = 0; i < 3; i++) if (have[i] !== want[i]) return have[i] > want[i];
    return true;
  };
  const have = parse(version);
  return range.split('||').some((part) => {
    const match = /^(\^|>=)(\d+\.\d+\.\d+)$/.exec(part.trim());
    if (!match) throw new Error(`unsupported engines.node form "${part.trim()}" in package.json`);
    const want = parse(match[2]);
    return atLeast(have, want) && (match[1] === '>=' || have[0] === want[0]);
  });
}

function checkNode() {
  const range = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines.node;
  if (!nodeSatisfies(process.versions.node, range))
    fail(
      `Node.js ${range} is required (package.json engines), this is ${process.versions.node}: install Node.js 22 or 24 LTS`,
    );
}

function checkJava() {
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const result = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (result.error)
    fail(
      `Java 17+ is required to run Pulsar and the S3 server, but "${java}" was not found: install a JDK 17+ or set JAVA_HOME`,
    );
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  const major = match ? (match[1] === '1' ? Number(match[2]) : Number(match[1])) : 0;
  if (major < 17)
    fail(
      `Java 17+ is required, but "${java}" is version ${major || 'unknown'}: install a JDK 17+ or point JAVA_HOME at one`,
    );
}

function checkMaven() {
  if (spawnSync('mvn', ['--version'], { encoding: 'utf8' }).error) {
    fail(
      'Maven is required to fetch Pulsar and the S3 server from Maven Central, but "mvn" was not found: install Maven 3.8+',
    );
  }
}

function digest(files) {
  const hash = createHash('sha256');
  for (const file of files) hash.update(existsSync(file) ? readFileSync(file) : '');
  return hash.digest('hex');
}

/** Runs `step` only when its inputs changed since it last succeeded (or its output is missing). */
function once(name, inputs, output, step) {
  const stamp = join(stamps, `${name}.sha256`);
  const current = digest(inputs);
  if (existsSync(output) && existsSync(stamp) && readFileSync(stamp, 'utf8') === current) return;
  const started = Date.now();
  process.stdout.write(`setup: ${name}...\n`);
  step();
  mkdirSync(stamps, { recursive: true });
  writeFileSync(stamp, current);
  process.stdout.write(`setup: ${name} done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0)
    fail(`"${command} ${args.join(' ')}" failed in ${cwd} (exit ${result.status}); see the output above`);
}

/** Every file under a folder, for the stamp of a build step. */
function filesUnder(folder) {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/**
 * The browser for the console's tests: found (tools/find-browser.js), or Debian's chromium installed when
 * running as root; otherwise one warning line (the console itself needs no browser on this machine).
 */
function ensureBrowser() {
  const { findBrowser, MISSING } = require('./find-browser');
  if (findBrowser()) return;
  if (process.getuid?.() === 0 && !process.env.CHROMIUM_PATH) {
    process.stdout.write("setup: installing Debian's chromium for the console's browser tests...\n");
    run('apt-get', ['update', '-qq'], root);
    run('apt-get', ['install', '-y', '-qq', 'chromium'], root);
    if (findBrowser()) return;
  }
  process.stderr.write(`setup: warning: ${MISSING}\n`);
}

function main() {
  checkNode();
  checkJava();
  checkMaven();
  once(
    'npm dependencies',
    [join(root, 'package-lock.json')],
    join(root, 'node_modules', '.package-lock.json'),
    () =>
      // Not `npm ci`: the registry these machines reach lacks some optional platform packages (@swc/core's
      // non-linux builds), so the lockfile cannot list them and `npm ci` would refuse it as out of sync.
      // --no-save: set-up must never rewrite package-lock.json (the test command leaves the tree clean).
      run('npm', ['install', '--no-save', '--no-audit', '--no-fund'], root),
  );
  once('pulsar runtime (Maven Central)', [join(root, 'pulsar', 'pom.xml')], join(root, 'pulsar', 'lib'), () =>
    run('mvn', ['package'], join(root, 'pulsar')),
  );
  once(
    's3 server runtime (Maven Central)',
    [join(root, 'tools', 's3proxy', 'pom.xml')],
    join(root, 'tools', 's3proxy', 'lib'),
    () => run('mvn', ['package'], join(root, 'tools', 's3proxy')),
  );
  const consoleDir = join(root, 'apps', 'console');
  once(
    'operator console (vite build)',
    [
      ...filesUnder(join(consoleDir, 'src')),
      join(consoleDir, 'index.html'),
      join(consoleDir, 'vite.config.mjs'),
      join(root, 'package-lock.json'),
    ],
    join(consoleDir, 'dist', 'index.html'),
    () => run(join(root, 'node_modules', '.bin', 'vite'), ['build', consoleDir], root),
  );
  ensureBrowser();
}

// Run as a script (npm run setup); required only by its spec, for the version check.
if (require.main === module) main();
else module.exports = { nodeSatisfies };
