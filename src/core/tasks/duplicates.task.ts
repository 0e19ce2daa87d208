import {
  planDuplicateGroups,
  type DuplicatePlan,
  type DuplicatePlanInput,
} from '../analysis/duplicate-plan'

/**
 * Duplicate detection in a worker process: the catalog's hash columns arrive as typed arrays,
 * the groups go back as plain objects. At 1M photos this is seconds of CPU the Electron main
 * process must not spend (IPC and UI would stall); small catalogs run inline in the handler.
 */
export async function duplicatesTask(input: DuplicatePlanInput): Promise<DuplicatePlan> {
  return planDuplicateGroups(input)
}
