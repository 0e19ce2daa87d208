import os from 'node:os'
import path from 'node:path'
import type { ServiceImpl } from '../../shared/contract/define'
import type {
  HealthPlanDto,
  HealthReportDto,
  RunPlanResultDto,
  healthContract,
} from '../../shared/contract/health'
import type { JobKind } from '../../shared/jobs'
import { JobRepository } from '../catalog/repositories/job.repository'
import type { Engine } from '../engine'
import { ffmpegAvailable } from '../health/ffmpeg-available'
import { FilePresence } from '../health/file-presence'
import { computeHealth } from '../health/health-model'
import { renderMarkdown } from '../health/markdown'
import { buildPlan, parallelWidth } from '../health/plan'

/** A folder as the catalog stores folders: absolute, no trailing separator. */
function scopeOf(folder: string | undefined): { folder?: string } {
  if (folder === undefined) return {}
  const resolved = path.resolve(folder)
  return { folder: resolved.length > 1 ? resolved.replace(/[\\/]+$/, '') : resolved }
}

/** The health feature over one engine: report, plan, run the plan, Markdown. */
export interface HealthService {
  report(folder?: string): Promise<HealthReportDto>
  plan(folder?: string): Promise<{ report: HealthReportDto; plan: HealthPlanDto }>
  runPlan(options: { folder?: string; parallel?: boolean }): Promise<RunPlanResultDto>
  markdown(folder?: string): Promise<string>
}

export function createHealthCore(engine: Engine): HealthService {
  const files = new FilePresence()
  const jobs = new JobRepository(engine.catalog.db)
  let ffmpeg: boolean | undefined
  /** Parallel plans still running (the engine's concurrency is raised while any is). */
  let parallelPlans = 0
  const deps = () => {
    ffmpeg ??= ffmpegAvailable()
    return { db: engine.catalog.db, paths: engine.catalog.paths, files, ffmpegAvailable: ffmpeg }
  }
  const report = (folder?: string) => computeHealth(deps(), scopeOf(folder))
  const plan = async (folder?: string) => {
    const r = await report(folder)
    return {
      report: r,
      plan: buildPlan({
        report: r,
        measuredRate: (kind) => jobs.measuredRate(kind),
        workers: engine.pool.size,
        now: new Date(),
      }),
    }
  }
  return {
    report,
    plan,
    async runPlan({ folder, parallel }) {
      const { plan: p } = await plan(folder)
      // A job of the same kind already waiting or running (a second click, another window) is
      // reused, not duplicated: later steps queue behind it.
      const unfinished = new Map<JobKind, number>()
      for (const job of engine.jobs.list(200)) {
        if (
          (job.state === 'queued' || job.state === 'running' || job.state === 'paused') &&
          !unfinished.has(job.kind)
        ) {
          unfinished.set(job.kind, job.id)
        }
      }
      const ids = new Map<JobKind, number>()
      const jobIds: number[] = []
      let previous: number | undefined
      for (const step of p.steps) {
        const existing = unfinished.get(step.kind)
        let id: number
        if (existing !== undefined) {
          id = existing
        } else {
          const after = parallel
            ? step.after.map((k) => ids.get(k)).filter((x): x is number => x !== undefined)
            : previous !== undefined
              ? [previous]
              : []
          id = engine.jobs.start(step.params, after).id
        }
        ids.set(step.kind, id)
        jobIds.push(id)
        previous = id
      }
      const maxConcurrent = parallel ? parallelWidth(p.steps, os.availableParallelism()) : 1
      if (parallel && jobIds.length > 0) {
        // Side by side only while this plan runs: afterwards jobs run one at a time again (the
        // engine's default), so a later import does not compete with unrelated work.
        parallelPlans++
        engine.jobs.setMaxConcurrent(maxConcurrent)
        void Promise.all(jobIds.map((id) => engine.jobs.waitFor(id))).then(() => {
          parallelPlans--
          if (parallelPlans === 0) engine.jobs.setMaxConcurrent(1)
        })
      }
      return { jobIds, parallel: parallel === true, maxConcurrent }
    },
    async markdown(folder?: string) {
      const { report: r, plan: p } = await plan(folder)
      return renderMarkdown(r, p)
    },
  }
}

export function createHealthService(engine: Engine): ServiceImpl<typeof healthContract> {
  const core = createHealthCore(engine)
  return {
    report: ({ folder }) => core.report(folder),
    plan: async ({ folder }) => (await core.plan(folder)).plan,
    runPlan: ({ folder, parallel }) => core.runPlan({ folder, parallel }),
    markdown: ({ folder }) => core.markdown(folder),
  }
}
