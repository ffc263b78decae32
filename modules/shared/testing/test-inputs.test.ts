import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { absentTestInput, MissingTestInputError, REPO_ROOT, sharedDataPath } from './test-inputs';

// The reporter is plain CommonJS (jest loads it by path).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const NoSkipsReporter = require('../../../scripts/jest-no-skips-reporter.js');

describe('absentTestInput', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'test-inputs-'));
  const present = path.join(dir, 'present.txt');
  const absent = path.join(dir, 'absent.txt');
  writeFileSync(present, 'x');
  const savedCi = process.env['CI'];
  let warn: jest.SpyInstance;
  beforeEach(() => (warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined)));
  afterEach(() => {
    warn.mockRestore();
    if (savedCi === undefined) delete process.env['CI'];
    else process.env['CI'] = savedCi;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([['true'], ['1'], ['TRUE']])('with CI=%s throws naming the absent path', (ci) => {
    process.env['CI'] = ci;
    expect(() => absentTestInput([present, absent], 'the x check')).toThrow(MissingTestInputError);
    expect(() => absentTestInput([present, absent], 'the x check')).toThrow(absent);
  });

  it.each([[undefined], ['false'], ['']])('with CI=%p returns a skip message naming the path and warns', (ci) => {
    if (ci === undefined) delete process.env['CI'];
    else process.env['CI'] = ci;
    const message = absentTestInput([present, absent], 'the x check');
    expect(message).toContain(absent);
    expect(warn).toHaveBeenCalledWith(message);
  });

  it('returns null when every input exists, in CI too', () => {
    process.env['CI'] = 'true';
    expect(absentTestInput([present], 'the x check')).toBeNull();
  });

  it('resolves shared data beside the repository, not inside it', () => {
    expect(sharedDataPath('video/vtest.avi')).toBe(path.resolve(REPO_ROOT, '../shared/data/video/vtest.avi'));
  });
});

describe('jest-no-skips-reporter', () => {
  const savedCi = process.env['CI'];
  afterEach(() => {
    if (savedCi === undefined) delete process.env['CI'];
    else process.env['CI'] = savedCi;
  });
  const fileResult = (status: string) => ({
    testFilePath: '/repo/a.test.ts',
    testResults: [
      { status: 'passed', fullName: 'runs' },
      { status, fullName: 'x skipped' },
    ],
  });
  const quietly = (fn: () => void) => {
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      fn();
    } finally {
      spy.mockRestore();
    }
  };

  it.each([['pending'], ['skipped'], ['todo']])('fails a CI run with a %s test, naming it', (status) => {
    process.env['CI'] = 'true';
    const reporter = new NoSkipsReporter({});
    reporter.onTestResult(null, fileResult(status));
    quietly(() => reporter.onRunComplete());
    expect(reporter.getLastError()?.message).toContain('/repo/a.test.ts: x skipped');
  });

  it.each([
    ['a local run', undefined, {}],
    ['a CI run narrowed with -t', 'true', { testNamePattern: 'foo' }],
  ])('does not judge %s', (_label, ci, globalConfig) => {
    if (ci === undefined) delete process.env['CI'];
    else process.env['CI'] = ci;
    const reporter = new NoSkipsReporter(globalConfig);
    reporter.onTestResult(null, fileResult('pending'));
    reporter.onRunComplete();
    expect(reporter.getLastError()).toBeUndefined();
  });

  it('passes a CI run where everything ran', () => {
    process.env['CI'] = 'true';
    const reporter = new NoSkipsReporter({});
    reporter.onTestResult(null, fileResult('passed'));
    reporter.onRunComplete();
    expect(reporter.getLastError()).toBeUndefined();
  });
});
