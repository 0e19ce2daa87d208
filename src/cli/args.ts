/** Parsed command line: positionals and `--name value` / `--flag` options. */
export interface ParsedArgs {
  readonly positionals: readonly string[]
  readonly options: Readonly<Record<string, string | true>>
}

/** Options that never take a value (so `--json DIR` keeps DIR positional). */
const BOOLEAN_FLAGS = new Set([
  'json',
  'markdown',
  'force',
  'yes',
  'all',
  'open',
  'run',
  'parallel',
  'help',
  'no-progress',
])

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const positionals: string[] = []
  const options: Record<string, string | true> = {}
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1))
      break
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=')
      if (eq > 0) {
        options[arg.slice(2, eq)] = arg.slice(eq + 1)
        continue
      }
      const name = arg.slice(2)
      const next = argv[i + 1]
      if (!BOOLEAN_FLAGS.has(name) && next !== undefined && !next.startsWith('--')) {
        options[name] = next
        i++
      } else {
        options[name] = true
      }
    } else {
      positionals.push(arg)
    }
  }
  return { positionals, options }
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.options[name]
  return typeof value === 'string' ? value : undefined
}

export function numberOption(args: ParsedArgs, name: string): number | undefined {
  const value = stringOption(args, name)
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isFinite(n)) throw new UsageError(`--${name} needs a number, got "${value}"`)
  return n
}

/** The positional argument at `index`; a UsageError saying `hint` when it is missing. */
export function requiredPositional(args: ParsedArgs, index: number, hint: string): string {
  const value = args.positionals[index]
  if (!value) throw new UsageError(hint)
  return value
}

/** A mistake in how the command was called: printed as one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}
