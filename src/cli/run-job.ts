import type { JobDto, JobParams } from '../shared/jobs'
import type { CliContext } from './command'
import { jobSummary, progressLine } from './progress'

/**
 * Runs a job in this process and waits: a progress bar on a TTY, the summary at the end, per-item
 * errors grouped by code. Ctrl-C stops it as `interrupted` (resume with `vam jobs resume ID`).
 * Exit code: 0 completed (even with per-file errors), 1 failed, 130 cancelled/interrupted.
 */
export async function runJobAndReport(
  ctx: CliContext,
  start: { params: JobParams } | { resumeId: number },
): Promise<number> {
  const engine = await ctx.engine()
  const showProgress = ctx.isTty && !ctx.json && ctx.args.options['no-progress'] !== true
  let jobId = 0
  const off = engine.events.on('jobChanged', (job) => {
    if (showProgress && job.id === jobId) process.stderr.write(`\r\x1b[2K${progressLine(job)}`)
  })
  const onSigint = () => {
    ctx.err('\nstopping… (resume later with `vam jobs resume ID`)')
    void engine.jobs.shutdown()
  }
  process.once('SIGINT', onSigint)
  try {
    const job: JobDto =
      'params' in start ? engine.jobs.start(start.params) : engine.jobs.resume(start.resumeId)
    jobId = job.id
    if (!ctx.json) ctx.err(`job ${job.id} (${job.kind}) ${'params' in start ? 'started' : 'resumed'}`)
    const final = await engine.jobs.waitFor(job.id)
    if (showProgress) process.stderr.write('\n')
    const errors = (await ctx.service()).jobs.errors({ jobId: final.id, perCode: 5 })
    if (ctx.json) {
      ctx.printJson({ job: final, errors })
    } else {
      ctx.out(jobSummary(final))
      for (const group of await errors) {
        ctx.out(`  ${group.code}: ${group.count}`)
        for (const item of group.items) ctx.out(`    ${item.path}: ${item.message}`)
      }
    }
    if (final.state === 'completed') return 0
    if (final.state === 'failed') return 1
    return 130
  } finally {
    off()
    process.off('SIGINT', onSigint)
  }
}
