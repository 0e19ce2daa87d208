import { z } from 'zod'
import { method } from './define'
import type { ItemErrorDto, JobDto, JobLogLine } from '../jobs'
import { JOB_KINDS } from '../jobs'

const Id = z.number().int().positive()

/** Job params as accepted from a host: validated per kind. */
export const JobParamsSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('import'), root: z.string().min(1).max(4096) }),
  z.object({
    kind: z.literal('analyze'),
    force: z.boolean().optional(),
    folder: z.string().max(4096).optional(),
  }),
  z.object({ kind: z.literal('duplicates'), threshold: z.number().int().min(0).max(32).optional() }),
  z.object({ kind: z.literal('bursts'), gapSeconds: z.number().min(0).max(60).optional() }),
  z.object({ kind: z.literal('clip'), force: z.boolean().optional() }),
  z.object({ kind: z.literal('geohash') }),
  z.object({ kind: z.literal('verify'), folder: z.string().max(4096).optional() }),
  z.object({ kind: z.literal('retry-failed') }),
  z.object({ kind: z.literal('backup'), reason: z.string().max(200).optional() }),
])

export const JobKindSchema = z.enum(JOB_KINDS)

/** Errors grouped by code, each group with its first items (for the job panel and health). */
export interface ErrorGroupDto {
  readonly code: ItemErrorDto['code']
  readonly count: number
  readonly items: readonly ItemErrorDto[]
}

/** The job system: queue, control, progress, logs, per-item errors. */
export const jobsContract = {
  /** Queue a job; `after` lists job ids that must finish first. */
  start: method<JobDto>()(
    z.object({ params: JobParamsSchema, after: z.array(Id).max(100).optional() }),
  ),
  list: method<readonly JobDto[]>()(
    z.object({ limit: z.number().int().min(1).max(1000).optional() }),
  ),
  get: method<JobDto | null>()(z.object({ id: Id })),
  cancel: method<JobDto>()(z.object({ id: Id })),
  pause: method<JobDto>()(z.object({ id: Id })),
  /** Resume a paused or interrupted job where it stopped. */
  resume: method<JobDto>()(z.object({ id: Id })),
  log: method<readonly JobLogLine[]>()(
    z.object({
      id: Id,
      afterId: z.number().int().min(0).optional(),
      limit: z.number().int().min(1).max(5000).optional(),
    }),
  ),
  errors: method<readonly ErrorGroupDto[]>()(
    z.object({ jobId: Id.optional(), perCode: z.number().int().min(1).max(500).optional() }),
  ),
}
