import { openEngine, type Engine } from '../core/engine'
import { createVamService } from '../core/service'
import type { VamImpl } from '../shared/contract'
import { UsageError, parseArgs, stringOption } from './args'
import { resolveCatalogPath } from './catalog-location'
import type { CliCommand, CliContext } from './command'
import { COMMANDS } from './commands'

/** Finds the command whose words match the most leading positionals (`jobs list` over `jobs`). */
export function findCommand(
  commands: readonly CliCommand[],
  positionals: readonly string[],
): CliCommand | undefined {
  let best: CliCommand | undefined
  let bestWords = 0
  for (const command of commands) {
    const words = command.name.split(' ')
    const matches = words.every((word, i) => positionals[i] === word)
    if (matches && words.length > bestWords) {
      best = command
      bestWords = words.length
    }
  }
  return best
}

function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.usage.length))
  return [
    'vam — VAM Desktop catalog tool',
    '',
    'usage: vam <command> [--catalog FILE] [--json]',
    '  (catalog: --catalog, else $VAM_CATALOG, else the app-data folder)',
    '',
    ...COMMANDS.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
  ].join('\n')
}

/** Runs `vam` with `argv` (without node and script); returns the exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv)
  const command = findCommand(COMMANDS, args.positionals)
  if (!command || args.options.help === true) {
    process.stdout.write(`${helpText()}\n`)
    return command || args.positionals.length === 0 ? 0 : 2
  }
  let engine: Engine | undefined
  let service: VamImpl | undefined
  const ctx: CliContext = {
    args,
    json: args.options.json === true,
    isTty: Boolean(process.stderr.isTTY),
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    printJson: (value) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    engine: async () => {
      engine ??= await openEngine(resolveCatalogPath(stringOption(args, 'catalog')))
      return engine
    },
    service: async () => {
      service ??= createVamService(await ctx.engine())
      return service
    },
  }
  try {
    return await command.run(ctx)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    process.stderr.write(`vam ${command.name}: ${message}\n`)
    if (error instanceof UsageError) process.stderr.write(`usage: ${command.usage}\n`)
    return error instanceof UsageError ? 2 : 1
  } finally {
    await engine?.close()
  }
}
