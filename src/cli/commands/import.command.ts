import { statSync } from 'node:fs'
import path from 'node:path'
import { requiredPositional } from '../args'
import type { CliCommand } from '../command'
import { runJobAndReport } from '../run-job'

export const importCommands: CliCommand[] = [
  {
    name: 'import',
    usage: 'vam import DIR [--json] [--no-progress]',
    summary: 'import a folder (incremental: unchanged files are skipped) and wait',
    async run(ctx) {
      const root = path.resolve(
        requiredPositional(ctx.args, 1, 'which folder? e.g. `vam import ~/Pictures`'),
      )
      // Checked here so a typo is one clear line, not a failed job in the catalog.
      let isDir = false
      try {
        isDir = statSync(root).isDirectory()
      } catch (error) {
        throw new Error(`cannot open ${root}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`)
      }
      if (!isDir) throw new Error(`${root} is not a folder`)
      return runJobAndReport(ctx, { params: { kind: 'import', root } })
    },
  },
]
