import { existsSync, rmSync } from 'node:fs'
import path from 'node:path'
import { restoreBackupFile } from '../../core/catalog/backup'
import { UsageError } from '../args'
import type { CliCommand } from '../command'

export const backupCommands: CliCommand[] = [
  {
    name: 'backup',
    usage: 'vam backup [--reason TEXT] [--json]',
    summary: 'write a verified backup of the catalog',
    async run(ctx) {
      const reason = typeof ctx.args.options.reason === 'string' ? ctx.args.options.reason : 'manual'
      const backup = await (await ctx.service()).catalog.backup({ reason })
      if (ctx.json) ctx.printJson(backup)
      else ctx.out(`backup ${backup.id} written: ${backup.path} (${backup.bytes} bytes, verified)`)
      return 0
    },
  },
  {
    name: 'backups',
    usage: 'vam backups [--json]',
    summary: 'list verified backups, newest first',
    async run(ctx) {
      const list = await (await ctx.service()).catalog.backups({})
      if (ctx.json) ctx.printJson(list)
      else for (const b of list) ctx.out(`${b.id}  ${b.createdAt}  ${b.reason}  ${b.path}`)
      return 0
    },
  },
  {
    name: 'restore',
    usage: 'vam restore FILE',
    summary: 'replace the catalog with a verified backup (the current one is kept as .before-restore)',
    async run(ctx) {
      const file = ctx.args.positionals[1]
      if (!file || !existsSync(file)) throw new UsageError('expected an existing backup file')
      const engine = await ctx.engine()
      const { catalogFile, cacheDir } = engine.catalog.paths
      // A safety backup of the current state, then close so the file can be replaced.
      await (await ctx.service()).catalog.backup({ reason: 'before-restore' })
      await engine.close()
      const previous = restoreBackupFile(catalogFile, path.resolve(file))
      // Derived in-memory indexes cached on disk describe the old catalog: drop them. (Thumbnail
      // files are checked against their rows, so they need nothing.)
      rmSync(path.join(cacheDir, 'clip'), { recursive: true, force: true })
      ctx.out(`restored ${catalogFile} from ${file}; previous catalog kept at ${previous}`)
      return 0
    },
  },
]
