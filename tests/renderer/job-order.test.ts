import { describe, expect, it } from 'vitest'
import { supersedes } from '../../src/renderer/features/jobs/job-order'
import type { JobDto, JobState } from '../../src/shared/jobs'

const job = (state: JobState, done = 0): JobDto => ({
  id: 1,
  kind: 'import',
  params: { kind: 'import', root: '/p' },
  state,
  total: 10,
  done,
  failed: 0,
  skipped: 0,
  rate: 0,
  etaSeconds: null,
  currentItem: null,
  error: null,
  dependsOn: [],
  createdAt: '',
  startedAt: null,
  finishedAt: null,
})

describe(supersedes.name, () => {
  it('never lets a late "queued" reply undo a job that already finished', () => {
    expect(supersedes(job('completed', 10), job('queued'))).toBe(false)
    expect(supersedes(job('running', 3), job('queued'))).toBe(false)
    expect(supersedes(job('cancelled'), job('running', 5))).toBe(false)
  })

  it('moves forward through the states and with growing counters', () => {
    expect(supersedes(job('queued'), job('running'))).toBe(true)
    expect(supersedes(job('running', 3), job('completed', 10))).toBe(true)
    expect(supersedes(job('running', 3), job('running', 4))).toBe(true)
    expect(supersedes(job('running', 4), job('running', 3))).toBe(false)
    expect(supersedes(job('running', 4), job('paused', 4))).toBe(true)
    expect(supersedes(job('paused', 4), job('running', 4))).toBe(true)
  })

  it('accepts the re-queue of an interrupted job being resumed', () => {
    expect(supersedes(job('interrupted', 4), job('queued', 4))).toBe(true)
  })
})
