import type { CliCommand } from '@trinetra/shared';
import { motEvalCommand } from './mot-eval.command';
import { trackCommand } from './track.command';

export { motEvalCommand, formatMotReport } from './mot-eval.command';
export { trackCommand } from './track.command';

/** The tracking module's `npm run cli -- <name>` sub-commands. */
export const trackingCliCommands: CliCommand[] = [motEvalCommand, trackCommand];
