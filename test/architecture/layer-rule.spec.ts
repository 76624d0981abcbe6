import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * The layer rule of docs/architecture.md is an ESLint rule, and `npm run lint` runs in CI. These
 * cases show it refuses each wrong-way import (and lets the right way through), so a rule that
 * silently stopped matching would fail here rather than let the layers erode. The project's own
 * ESLint configuration lints one file per case, laid out as it would be under src/.
 */
const REFUSED: [string, string, RegExp][] = [
  ['cases/domain', "import { Principal } from '../../identity/principal';", /domain is pure/],
  ['cases/domain', "import { Injectable } from '@nestjs/common';", /domain is pure/],
  ['identity', "import { decide } from '../cases/domain/case.decider';", /nothing of cases/],
  ['cases/application', "import { NotFound } from '../../common/http-errors';", /nothing of HTTP/],
  ['cases/access', "import { etagOf } from '../http/http-headers';", /nothing of HTTP/],
  ['cases/projections', "import { CaseBodyPipe } from '../http/case-body.pipe';", /HTTP layer/],
  ['feed', "import { etagOf } from '../cases/http/http-headers';", /HTTP layer/],
  ['cli', "import { CaseDto } from '../cases/http/case.dtos';", /HTTP layer/],
  ['cli', "import { SqliteReader } from '../event-store/sqlite/sqlite.reader';", /sees the port/],
  ['event-store', "import { ProblemError } from '../common/problem';", /carry codes/],
];

const ALLOWED: [string, string][] = [
  ['cases/domain', "import { evolve } from './case.state';"],
  ['cases/application', "import { decide } from '../domain/case.decider';"],
  ['cases/http', "import { GetCase } from '../application/case.queries';"],
  ['cli', "import { CaseEventStream } from '../cases/application/case-event-stream';"],
  ['identity', "import { ProblemError } from '../common/problem';"],
];

interface LintResult {
  filePath: string;
  messages: { ruleId: string | null; message: string }[];
}

describe('the layer rule', () => {
  let dir: string;
  const restricted = new Map<string, string[]>();
  const fileOf = (kind: string, i: number, folder: string) => `src/${folder}/${kind}-${i}.ts`;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'layer-rule-'));
    const root = resolve(__dirname, '../..');
    copyFileSync(join(root, 'eslint.config.mjs'), join(dir, 'eslint.config.mjs'));
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
    const write = (file: string, code: string) => {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(
        join(dir, file),
        `${code}\nexport const used = [${code.match(/\{ (\w+) \}/)![1]}];\n`,
      );
    };
    REFUSED.forEach(([folder, code], i) => write(fileOf('refused', i, folder), code));
    ALLOWED.forEach(([folder, code], i) => write(fileOf('allowed', i, folder), code));
    let output: string;
    try {
      output = execFileSync(
        process.execPath,
        ['node_modules/eslint/bin/eslint.js', '-f', 'json', 'src'],
        {
          cwd: dir,
          encoding: 'utf8',
        },
      );
    } catch (error) {
      output = (error as { stdout: string }).stdout; // exit 1 when anything is refused
    }
    for (const result of JSON.parse(output) as LintResult[]) {
      restricted.set(
        result.filePath.slice(dir.length + 1),
        result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message),
      );
    }
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(REFUSED.map(([folder, code, message], i) => [folder, code, message, i] as const))(
    'refuses in src/%s: %s',
    (folder, _code, message, i) => {
      expect(restricted.get(fileOf('refused', i, folder))).toEqual([
        expect.stringMatching(message),
      ]);
    },
  );

  it.each(ALLOWED.map(([folder, code], i) => [folder, code, i] as const))(
    'lets through in src/%s: %s',
    (folder, _code, i) => {
      expect(restricted.get(fileOf('allowed', i, folder))).toEqual([]);
    },
  );
});
