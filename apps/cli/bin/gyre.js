#!/usr/bin/env node
'use strict';
// The `gyre` command: runs the TypeScript CLI through ts-node (swc, no type check) like the repo's other tools,
// from any working directory (TS_NODE_PROJECT also tells tsconfig-paths where the repository's tsconfig is).
const { resolve } = require('node:path');

const root = resolve(__dirname, '..', '..', '..');
process.env.TS_NODE_PROJECT = resolve(root, 'tsconfig.json');
require('ts-node').register({ project: process.env.TS_NODE_PROJECT, swc: true });
require(resolve(root, 'apps/cli/src/main.ts'));
