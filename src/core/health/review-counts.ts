import type { Database } from 'better-sqlite3'
import type { ReviewCounts } from '../../shared/contract/review'
import { BurstRepository } from '../catalog/repositories/burst.repository'
import { DuplicateRepository } from '../catalog/repositories/duplicate.repository'

/**
 * Duplicate and burst counts for the health report and the sidebar, computed from the group
 * tables (never from flags): groups = all groups ever found, photos = photos in open groups,
 * unresolved = open groups, bytesReclaimable = what resolving every open group with its current
 * keep/remove choices would move away.
 */
export function reviewCounts(db: Database): ReviewCounts {
  return {
    duplicates: new DuplicateRepository(db).counts(),
    bursts: new BurstRepository(db).counts(),
  }
}
