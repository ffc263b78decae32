import type { CliCommand } from '@trinetra/shared';
import { createVideoJobCommands } from './video-jobs.command';

export * from './cli-config';
export * from './ingest-cli.error';
export * from './progress-bar';
export * from './trinetra-api.client';
export * from './video-job-progress.follower';
export * from './video-jobs.command';
export * from './download.command';

/** The ingest module's `npm run cli -- <name>` sub-commands (API clients): `ingest`, `jobs`, `resume`, `download`. */
export const ingestCliCommands: CliCommand[] = createVideoJobCommands();
