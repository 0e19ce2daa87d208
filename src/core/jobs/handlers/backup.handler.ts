import { backupCatalog } from '../../catalog/backup-service'
import type { JobHandler } from '../job-handler'

/** The `backup` job: one verified copy of the catalog. */
export const backupHandler: JobHandler<'backup'> = {
  kind: 'backup',
  async run(ctx) {
    ctx.setTotal(1)
    const backup = await backupCatalog(ctx.db, ctx.paths, ctx.params.reason ?? 'manual')
    ctx.log('info', `backup written to ${backup.path} (${backup.bytes} bytes, verified)`)
    ctx.itemDone()
    await ctx.checkpoint('done')
  },
}
