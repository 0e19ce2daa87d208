import type { ErrorGroupDto, jobsContract } from '../../shared/contract/jobs'
import type { ServiceImpl } from '../../shared/contract/define'
import { ItemErrorRepository } from '../catalog/repositories/item-error.repository'
import type { Engine } from '../engine'

export function createJobsService(engine: Engine): ServiceImpl<typeof jobsContract> {
  const { jobs } = engine
  const errors = new ItemErrorRepository(engine.catalog.db)
  return {
    start: ({ params, after }) => jobs.start(params, after ?? []),
    list: ({ limit }) => jobs.list(limit ?? 100),
    get: ({ id }) => jobs.get(id),
    cancel: ({ id }) => jobs.cancel(id),
    pause: ({ id }) => jobs.pause(id),
    resume: ({ id }) => jobs.resume(id),
    log: ({ id, afterId, limit }) => jobs.log(id, afterId ?? 0, limit ?? 500),
    errors: ({ jobId, perCode }): ErrorGroupDto[] =>
      errors.countsByCode(jobId).map(({ code, count }) => ({
        code,
        count,
        items: errors.firstOfCode(code, perCode ?? 50, jobId),
      })),
  }
}
