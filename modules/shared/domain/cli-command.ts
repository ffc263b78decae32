/** Streams a CLI command writes to; tests pass in-memory ones. */
export interface CliIo {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
}

/**
 * One sub-command of `npm run cli -- <name> ...`. Modules export theirs; the server's
 * CLI entry point registers them. `run` returns the process exit code.
 */
export interface CliCommand {
  name: string;
  /** One line shown by `npm run cli -- help`. */
  summary: string;
  usage: string;
  run(argv: readonly string[], io: CliIo): Promise<number>;
}
