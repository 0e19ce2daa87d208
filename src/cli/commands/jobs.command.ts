import { JobParamsSchema } from '../../shared/contract/jobs'
import type { JobDto } from '../../shared/jobs'
import { UsageError, numberOption, requiredPositional } from '../args'
import type { CliCommand, CliContext } from '../command'
import { jobSummary } from '../progress'
import { runJobAndReport } from '../run-job'

function jobIdArg(ctx: CliContext): number {
  const raw = ctx.args.positionals[2]
  const id = Number(raw)
  if (!raw || !Number.isInteger(id) || id <= 0) throw new UsageError('expected a job id')
  return id
}

function printJob(ctx: CliContext, job: JobDto): void {
  if (ctx.json) ctx.printJson(job)
  else ctx.out(jobSummary(job))
}

/** Maps `--kebab-case` CLI options onto a kind's params, validated by the contract's schema. */
export function jobParamsFromArgs(kind: string, options: Readonly<Record<string, string | true>>) {
  const params: Record<string, unknown> = { kind }
  for (const [key, value] of Object.entries(options)) {
    if (['catalog', 'json', 'no-progress'].includes(key)) continue
    const camel = key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())
    params[camel] = value === true ? true : /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value
  }
  const parsed = JobParamsSchema.safeParse(params)
  if (!parsed.success) {
    throw new UsageError(`bad options for "${kind}": ${parsed.error.issues.map((i) => `${i.path.join('.') || 'kind'}: ${i.message}`).join('; ')}`)
  }
  return parsed.data
}

export const jobsCommands: CliCommand[] = [
  {
    name: 'run',
    usage: 'vam run <kind> [--force] [--threshold N] [--gap-seconds N] [--folder DIR]',
    summary: 'run a job (analyze, duplicates, bursts, clip, geohash, verify, retry-failed, backup) and wait',
    async run(ctx) {
      const kind = requiredPositional(ctx.args, 1, 'which job? e.g. `vam run analyze`')
      const params = jobParamsFromArgs(kind, ctx.args.options)
      return runJobAndReport(ctx, { params })
    },
  },
  {
    name: 'jobs list',
    usage: 'vam jobs list [--limit N] [--json]',
    summary: 'list jobs, newest first',
    async run(ctx) {
      const jobs = (await ctx.engine()).jobs.list(numberOption(ctx.args, 'limit') ?? 50)
      if (ctx.json) ctx.printJson(jobs)
      else if (jobs.length === 0) ctx.out('no jobs yet')
      else for (const job of jobs) ctx.out(jobSummary(job))
      return 0
    },
  },
  {
    name: 'jobs status',
    usage: 'vam jobs status ID [--json]',
    summary: 'one job with its errors and last log lines',
    async run(ctx) {
      const id = jobIdArg(ctx)
      const engine = await ctx.engine()
      const job = engine.jobs.get(id)
      if (!job) throw new UsageError(`no job ${id}`)
      const errors = await (await ctx.service()).jobs.errors({ jobId: id, perCode: 10 })
      const log = engine.jobs.log(id, 0, 5000).slice(-20)
      if (ctx.json) {
        ctx.printJson({ job, errors, log })
      } else {
        ctx.out(jobSummary(job))
        for (const group of errors) ctx.out(`  errors ${group.code}: ${group.count}`)
        for (const line of log) ctx.out(`  ${line.at} ${line.level} ${line.message}`)
      }
      return 0
    },
  },
  {
    name: 'jobs cancel',
    usage: 'vam jobs cancel ID',
    summary: 'cancel a job (finished work is kept)',
    async run(ctx) {
      printJob(ctx, (await ctx.engine()).jobs.cancel(jobIdArg(ctx)))
      return 0
    },
  },
  {
    name: 'jobs resume',
    usage: 'vam jobs resume ID',
    summary: 'continue an interrupted job where it stopped, and wait',
    async run(ctx) {
      return runJobAndReport(ctx, { resumeId: jobIdArg(ctx) })
    },
  },
]
