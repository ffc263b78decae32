import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DemoCredentials } from './seed';

/** File under DATA_DIR where the demo admin's password and the demo API key are written. */
export const DEMO_CREDENTIALS_FILE = 'demo-credentials.txt';

/**
 * Writes the demo credentials to `<dataDir>/demo-credentials.txt` with mode 0600 and returns
 * its path. The start banner prints the path, never the secrets: stdout of a server is a log
 * (docker, systemd, CI), and a live admin password or API key does not belong in one.
 */
export function writeDemoCredentials(dataDir: string, demo: DemoCredentials): string {
  const file = path.resolve(dataDir, DEMO_CREDENTIALS_FILE);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const text = [
    '# Trinetra demo tenant (SEED_DEMO=true). Rewritten at every start: the key below replaces the previous one.',
    `email=${demo.email}`,
    `password=${demo.password}`,
    `api_key=${demo.apiKey}`,
    `tenant_id=${demo.tenantId}`,
    '',
  ].join('\n');
  // Written aside and renamed, so the file is never visible with a wider mode or half written.
  const aside = `${file}.${process.pid}.tmp`;
  rmSync(aside, { force: true });
  writeFileSync(aside, text, { mode: 0o600, flag: 'wx' });
  renameSync(aside, file);
  return file;
}
