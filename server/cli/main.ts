import 'reflect-metadata';
import type { CliCommand, CliIo } from '@trinetra/shared';
import { ingestCliCommands } from '@trinetra/ingest';
import { identityCliCommands } from '@trinetra/identity';
import { trackingCliCommands } from '@trinetra/tracking';
import { createSystemDb } from '@trinetra/db';
import { LazyFaceEmbedder } from '../app/identity-face-embedder';
import { DEFAULT_DATABASE_URL } from '../config/config';
import { decodeIdentityMasterKey } from '../config/dev-identity-master-key';

/**
 * `identity rotate-master-key` works on the database directly (key rows are not reachable through
 * the API, and the owner connection is the one that may rewrite them), with the server's key rule.
 * Only DATABASE_URL is read here: loadConfig would also want JWT_SECRET and create dev key files.
 */
const identityKeys = {
  decodeKey: decodeIdentityMasterKey,
  openDb: () => createSystemDb({ databaseUrl: process.env.DATABASE_URL || DEFAULT_DATABASE_URL, poolSize: 2 }),
};

/** Every module's sub-commands of `npm run cli -- <name> ...`. */
const COMMANDS: readonly CliCommand[] = [
  ...trackingCliCommands,
  ...ingestCliCommands,
  ...identityCliCommands(new LazyFaceEmbedder(), identityKeys, process.env),
];

function help(io: CliIo): void {
  io.stdout.write('usage: npm run cli -- <command> [args]\n\ncommands:\n');
  for (const c of COMMANDS) io.stdout.write(`  ${c.name.padEnd(12)} ${c.summary}\n`);
}

export async function runCli(argv: readonly string[], io: CliIo = process): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    help(io);
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`unknown command "${name}"\n`);
    help(io);
    return 2;
  }
  return command.run(rest, io);
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
