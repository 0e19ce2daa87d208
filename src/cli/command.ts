import type { Engine } from '../core/engine'
import type { VamImpl } from '../shared/contract'
import type { ParsedArgs } from './args'

/** What a command can use: output streams and the engine (opened lazily on first use). */
export interface CliContext {
  readonly args: ParsedArgs
  readonly json: boolean
  /** Writes a line to stdout. */
  out(line: string): void
  /** Writes a line to stderr. */
  err(line: string): void
  /** Prints a value as JSON (for --json). */
  printJson(value: unknown): void
  /** Opens the catalog from --catalog / VAM_CATALOG / the default location. */
  engine(): Promise<Engine>
  /** The contract implementation over the engine. */
  service(): Promise<VamImpl>
  readonly isTty: boolean
}

/**
 * One `vam` command. `name` is its words (`jobs list`); the longest matching name wins.
 * `run` returns the exit code: 0 when the work ran (even with per-file errors), non-zero when it
 * could not.
 */
export interface CliCommand {
  readonly name: string
  readonly usage: string
  readonly summary: string
  run(ctx: CliContext): Promise<number>
}
