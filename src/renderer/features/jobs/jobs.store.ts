import { create } from 'zustand'
import type { ErrorGroupDto } from '../../../shared/contract/jobs'
import type { JobDto, JobLogLine, JobParams } from '../../../shared/jobs'
import { api } from '../../api/client'
import { errorMessage } from '../../api/api-error'
import { supersedes } from './job-order'

/** Log lines kept per job in the panel (the catalog keeps all of them). */
const MAX_LOG_LINES = 500

interface JobsState {
  /** Newest first. */
  readonly jobs: readonly JobDto[]
  readonly expanded: number | null
  readonly logs: Readonly<Record<number, readonly JobLogLine[]>>
  readonly errors: Readonly<Record<number, readonly ErrorGroupDto[]>>
  readonly error: string | null
  load(): Promise<void>
  /** Applies a pushed job update. */
  upsert(job: JobDto): void
  appendLog(line: JobLogLine): void
  start(params: JobParams): Promise<JobDto | null>
  control(id: number, action: 'cancel' | 'pause' | 'resume'): Promise<void>
  expand(id: number | null): Promise<void>
}

export const useJobsStore = create<JobsState>()((set, get) => ({
  jobs: [],
  expanded: null,
  logs: {},
  errors: {},
  error: null,
  async load() {
    try {
      set({ jobs: await api().jobs.list({ limit: 50 }), error: null })
    } catch (error) {
      set({ error: errorMessage(error) })
    }
  },
  upsert(job) {
    const jobs = get().jobs
    const at = jobs.findIndex((j) => j.id === job.id)
    const current = jobs[at]
    if (current && !supersedes(current, job)) return
    const next = at === -1 ? [job, ...jobs] : jobs.map((j, i) => (i === at ? job : j))
    set({ jobs: next })
    // A finished job's errors are final now: reload them if its row is open.
    if (get().expanded === job.id && job.state !== 'running') void loadErrors(job.id)
  },
  appendLog(line) {
    const existing = get().logs[line.jobId]
    if (!existing) return
    set({ logs: { ...get().logs, [line.jobId]: [...existing, line].slice(-MAX_LOG_LINES) } })
  },
  async start(params) {
    try {
      const job = await api().jobs.start({ params })
      get().upsert(job)
      return job
    } catch (error) {
      set({ error: errorMessage(error) })
      return null
    }
  },
  async control(id, action) {
    try {
      get().upsert(await api().jobs[action]({ id }))
    } catch (error) {
      set({ error: errorMessage(error) })
    }
  },
  async expand(id) {
    set({ expanded: id })
    if (id === null) return
    try {
      const log = await api().jobs.log({ id, limit: MAX_LOG_LINES })
      set({ logs: { ...get().logs, [id]: log } })
      await loadErrors(id)
    } catch (error) {
      set({ error: errorMessage(error) })
    }
  },
}))

async function loadErrors(id: number): Promise<void> {
  const groups = await api().jobs.errors({ jobId: id, perCode: 100 })
  useJobsStore.setState((s) => ({ errors: { ...s.errors, [id]: groups } }))
}

export const ACTIVE_STATES: readonly JobDto['state'][] = ['queued', 'running', 'paused']

/** The dock's one line: overall progress of the active jobs and the longest ETA. */
export function overallProgress(jobs: readonly JobDto[]): {
  readonly active: number
  readonly fraction: number | null
  readonly etaSeconds: number | null
  readonly label: string
} {
  const active = jobs.filter((j) => ACTIVE_STATES.includes(j.state))
  if (active.length === 0) {
    const last = jobs[0]
    return {
      active: 0,
      fraction: null,
      etaSeconds: null,
      label: last ? `Last job: ${last.kind} ${last.state}` : 'No jobs yet',
    }
  }
  const total = active.reduce((n, j) => n + j.total, 0)
  const done = active.reduce((n, j) => n + j.done + j.failed + j.skipped, 0)
  const etas = active.map((j) => j.etaSeconds).filter((e): e is number => e !== null)
  const running = active.find((j) => j.state === 'running') ?? active[0]
  return {
    active: active.length,
    fraction: total > 0 ? Math.min(1, done / total) : null,
    etaSeconds: etas.length > 0 ? Math.max(...etas) : null,
    label: `${running?.kind ?? 'job'} ${running?.state ?? ''} — ${done.toLocaleString()} of ${total.toLocaleString()}`,
  }
}

export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—'
  if (seconds < 60) return `${Math.ceil(seconds)} s`
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`
}
