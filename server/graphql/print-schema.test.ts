import { readFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { printTrinetraSchema } from './print-schema';

const webDir = path.resolve(__dirname, '../../web');

// The dashboard's types are generated from the schema (web/codegen.yml); both files are
// committed so the dashboard builds without a server. These fail when either is stale:
// run `npm run codegen` at the root to refresh them.
describe('generated schema artifacts', () => {
  it('web/lib/generated/schema.graphql is the schema the server serves', async () => {
    expect(readFileSync(path.join(webDir, 'lib/generated/schema.graphql'), 'utf8')).toBe(await printTrinetraSchema());
  });

  it('web/lib/generated/graphql.ts is what codegen makes of it', () => {
    // `--check` regenerates in memory and exits 1 when the committed file differs.
    const bin = path.resolve(__dirname, '../../node_modules/.bin/graphql-codegen');
    const run = spawnSync(bin, ['--config', 'codegen.yml', '--check'], { cwd: webDir, encoding: 'utf8' });
    expect({ status: run.status, output: run.status === 0 ? '' : `${run.stdout}${run.stderr}` }).toEqual({ status: 0, output: '' });
  }, 60_000);
});
