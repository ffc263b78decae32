// A jest reporter that fails a CI run (`CI=true`) in which any test was skipped or left as a
// todo: there every input the tests need is provided, so a skip means a test that silently did
// not run (an `it.skip`, a stray `.only`, a missing input that was not routed through
// modules/shared/testing/test-inputs.ts). Locally it does nothing. A run narrowed with
// `-t/--testNamePattern` skips by design and is not judged.
'use strict';

class NoSkipsReporter {
  constructor(globalConfig) {
    this.enabled = ['true', '1'].includes(String(process.env.CI ?? '').toLowerCase()) && !globalConfig.testNamePattern;
    this.skipped = [];
    this.error = undefined;
  }

  onTestResult(_test, result) {
    if (!this.enabled) return;
    for (const t of result.testResults) {
      if (t.status === 'pending' || t.status === 'skipped' || t.status === 'todo') this.skipped.push(`${result.testFilePath}: ${t.fullName} (${t.status})`);
    }
  }

  onRunComplete() {
    if (!this.enabled || this.skipped.length === 0) return;
    const list = this.skipped.map((s) => `  - ${s}`).join('\n');
    this.error = new Error(`CI=true and ${this.skipped.length} test(s) did not run:\n${list}`);
    console.error(`\n${this.error.message}\n`);
  }

  getLastError() {
    return this.error;
  }
}

module.exports = NoSkipsReporter;
