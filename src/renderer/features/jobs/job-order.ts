import type { JobDto, JobState } from '../../../shared/jobs'

/**
 * How far along a job's life a state is. Pushed events and request replies race: a job that
 * finishes in milliseconds has its `completed` event arrive before the `queued` reply of the
 * call that started it, so a snapshot must never move a job backwards.
 */
const STAGE: { readonly [S in JobState]: number } = {
  queued: 0,
  running: 1,
  paused: 1,
  interrupted: 1,
  completed: 2,
  failed: 2,
  cancelled: 2,
}

function processed(job: JobDto): number {
  return job.done + job.failed + job.skipped
}

/** Whether `incoming` is at least as recent as `current` (so it may replace it). */
export function supersedes(current: JobDto, incoming: JobDto): boolean {
  // Resuming an interrupted job re-queues it: the one legitimate step back.
  if (current.state === 'interrupted' && incoming.state === 'queued') return true
  const from = STAGE[current.state]
  const to = STAGE[incoming.state]
  if (to !== from) return to > from
  // Same stage: counters only grow while a job runs.
  return processed(incoming) >= processed(current)
}
