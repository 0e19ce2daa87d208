import type { JobKind } from '../../../shared/jobs'
import type { JobHandler } from '../job-handler'
import { analyzeHandler } from './analyze.handler'
import { backupHandler } from './backup.handler'
import { burstsHandler } from './bursts.handler'
import { duplicatesHandler } from './duplicates.handler'
import { geohashHandler } from './geohash.handler'
import { clipHandler } from './clip.handler'
import { importHandler } from './import.handler'
import { retryFailedHandler } from './retry-failed.handler'
import { verifyHandler } from './verify.handler'

/**
 * Every job kind's handler. A feature adds `<kind>.handler.ts` and one line here; a kind without
 * a handler fails with a clear message instead of hanging.
 */
export const JOB_HANDLERS: Partial<{ readonly [K in JobKind]: JobHandler<K> }> = {
  backup: backupHandler,
  clip: clipHandler,
  import: importHandler,
  geohash: geohashHandler,
  verify: verifyHandler,
  'retry-failed': retryFailedHandler,
  analyze: analyzeHandler,
  duplicates: duplicatesHandler,
  bursts: burstsHandler,
}
