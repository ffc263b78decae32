import type { CliCommand } from '@trinetra/shared';
import { createVideoJobCommands } from './video-jobs.command';

export * from './cli-config';
export * from './progress-bar';
export * from './ingest-cli.context';
export * from './video-jobs.command';

/** The ingest module's `npm run cli -- <name>` sub-commands: `ingest`, `jobs`, `resume`. */
export const ingestCliCommands: CliCommand[] = createVideoJobCommands();
