// Runs before each integration test file: starts its log afresh and routes Nest's static Logger (used by
// libraries and by TypeORM's logger when no app is running) into it instead of the console.
import { Logger } from '@nestjs/common';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { currentTestLogFile, testLogger } from './test-logs';

const file = currentTestLogFile();
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, '');
Logger.overrideLogger(testLogger('info'));
