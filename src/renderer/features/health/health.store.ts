import { create } from 'zustand'
import type {
  CoverageDto,
  HealthPlanDto,
  HealthReportDto,
  PlanStepDto,
  RunPlanResultDto,
} from '../../../shared/contract/health'
import type { JobDto, JobKind, JobParams } from '../../../shared/jobs'
import { TERMINAL_JOB_STATES } from '../../../shared/jobs'
import { api } from '../../api/client'
import { errorMessage } from '../../api/api-error'

/**
 * Catalog changes arrive many times a second while a job runs; a report costs ~0.5 s of engine
 * time at 100k photos, so the page refreshes at most this often from them (a job finishing
 * refreshes at once).
 */
export const CATALOG_REFRESH_MS = 4000
/** A finished job's last writes settle before the report is recomputed. */
const JOB_DONE_REFRESH_MS = 300

interface HealthState {
  readonly report: HealthReportDto | null
  readonly plan: HealthPlanDto | null
  /** The folder the page is limited to, or null for the whole catalog. */
  readonly folder: string | null
  readonly loading: boolean
  readonly error: string | null
  /** Jobs started from this page, by kind (their state shows in the plan's rows). */
  readonly started: Readonly<Partial<Record<JobKind, number>>>
  readonly lastRun: RunPlanResultDto | null
  load(): Promise<void>
  setFolder(folder: string | null): Promise<void>
  runStep(step: PlanStepDto): Promise<void>
  /** Runs a repair job of a kind (a consistency check's fix), with the plan's params if listed. */
  runKind(kind: 'analyze' | 'verify' | 'geohash' | 'retry-failed'): Promise<void>
  runPlan(parallel: boolean): Promise<void>
  markdown(): Promise<string | null>
  /** Follows job and catalog events (refreshing the report); returns the unsubscribe. */
  subscribe(): () => void
}

export const useHealthStore = create<HealthState>()((set, get) => {
  let loading: Promise<void> | null = null
  let again = false
  let timer: ReturnType<typeof setTimeout> | undefined
  let lastCatalogRefresh = 0

  /** One load at a time; a request during a load runs once more after it. */
  const load = async (): Promise<void> => {
    if (loading) {
      again = true
      return loading
    }
    loading = (async () => {
      do {
        again = false
        set({ loading: true })
        try {
          const input = get().folder ? { folder: get().folder as string } : {}
          const [report, plan] = await Promise.all([
            api().health.report(input),
            api().health.plan(input),
          ])
          set({ report, plan, error: null })
        } catch (error) {
          set({ error: errorMessage(error) })
        } finally {
          set({ loading: false })
        }
      } while (again)
    })()
    try {
      await loading
    } finally {
      loading = null
    }
  }

  const refreshSoon = (ms: number) => {
    if (timer !== undefined) return
    timer = setTimeout(() => {
      timer = undefined
      void load()
    }, ms)
  }

  return {
    report: null,
    plan: null,
    folder: null,
    loading: false,
    error: null,
    started: {},
    lastRun: null,
    load,
    async setFolder(folder) {
      set({ folder: folder && folder.trim() !== '' ? folder.trim() : null })
      await load()
    },
    async runStep(step) {
      try {
        const job = await api().jobs.start({ params: step.params })
        set({ started: { ...get().started, [step.kind]: job.id } })
      } catch (error) {
        set({ error: errorMessage(error) })
      }
    },
    async runKind(kind) {
      const step = get().plan?.steps.find((s) => s.kind === kind)
      const folder = get().folder ?? undefined
      const params: JobParams =
        step?.params ??
        (kind === 'analyze' || kind === 'verify'
          ? { kind, ...(folder ? { folder } : {}) }
          : { kind })
      try {
        const job = await api().jobs.start({ params })
        set({ started: { ...get().started, [kind]: job.id } })
      } catch (error) {
        set({ error: errorMessage(error) })
      }
    },
    async runPlan(parallel) {
      const plan = get().plan
      try {
        const folder = get().folder
        const result = await api().health.runPlan({ parallel, ...(folder ? { folder } : {}) })
        const started = { ...get().started }
        plan?.steps.forEach((step, i) => {
          const id = result.jobIds[i]
          if (id !== undefined) started[step.kind] = id
        })
        set({ started, lastRun: result })
      } catch (error) {
        set({ error: errorMessage(error) })
      }
    },
    async markdown() {
      try {
        const folder = get().folder
        return await api().health.markdown(folder ? { folder } : {})
      } catch (error) {
        set({ error: errorMessage(error) })
        return null
      }
    },
    subscribe() {
      const offs = [
        api().on('jobChanged', (job) => {
          if (TERMINAL_JOB_STATES.includes(job.state) || job.state === 'interrupted') {
            refreshSoon(JOB_DONE_REFRESH_MS)
          }
        }),
        api().on('catalogChanged', () => {
          const wait = Math.max(0, lastCatalogRefresh + CATALOG_REFRESH_MS - Date.now())
          if (timer === undefined) lastCatalogRefresh = Date.now() + wait
          refreshSoon(wait)
        }),
      ]
      return () => {
        for (const off of offs) off()
        clearTimeout(timer)
        timer = undefined
      }
    },
  }
})

/** What a plan step's row shows about the job started for it, if any. */
export type StepStatus =
  | { readonly kind: 'idle' }
  | { readonly kind: 'active'; readonly job: JobDto; readonly fraction: number | null }
  | { readonly kind: 'finished'; readonly job: JobDto }

export function stepStatus(
  step: PlanStepDto,
  started: Readonly<Partial<Record<JobKind, number>>>,
  jobs: readonly JobDto[],
): StepStatus {
  // The job started here, else any job of the kind still waiting or running (another window).
  const id = started[step.kind]
  const job =
    (id !== undefined ? jobs.find((j) => j.id === id) : undefined) ??
    jobs.find((j) => j.kind === step.kind && ['queued', 'running', 'paused'].includes(j.state))
  if (!job) return { kind: 'idle' }
  if (TERMINAL_JOB_STATES.includes(job.state) || job.state === 'interrupted')
    return { kind: 'finished', job }
  const processed = job.done + job.failed + job.skipped
  return {
    kind: 'active',
    job,
    fraction: job.total > 0 ? Math.min(1, processed / job.total) : null,
  }
}

/** How a coverage row looks: complete, a gap, a fact about the photos, or not available. */
export function coverageTone(c: CoverageDto): 'ok' | 'gap' | 'info' | 'na' {
  if (!c.available) return 'na'
  if (c.informational) return 'info'
  return c.missing === 0 ? 'ok' : 'gap'
}
