import 'reflect-metadata';
import type { CliCommand, CliIo } from '@trinetra/shared';
import { ingestCliCommands } from '@trinetra/ingest';
import { identityCliCommands } from '@trinetra/identity';
import { trackingCliCommands } from '@trinetra/tracking';
import { LazyFaceEmbedder } from '../app/identity-face-embedder';

/** Every module's sub-commands of `npm run cli -- <name> ...`. */
const COMMANDS: readonly CliCommand[] = [...trackingCliCommands, ...ingestCliCommands, ...identityCliCommands(new LazyFaceEmbedder())];

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
