import { basicHealth, basicHealthLines } from '../../core/health/basic-health'
import type { CliCommand } from '../command'

export const healthCommands: CliCommand[] = [
  {
    name: 'health',
    usage: 'vam health [--json]',
    summary: 'catalog health: totals, date/GPS/geohash coverage, errors by code',
    async run(ctx) {
      const report = basicHealth((await ctx.engine()).catalog.db)
      if (ctx.json) ctx.printJson(report)
      else for (const line of basicHealthLines(report)) ctx.out(line)
      return 0
    },
  },
]
