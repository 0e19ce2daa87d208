import type { HealthPlanDto, HealthReportDto } from '../../shared/contract/health'
import {
  DATE_BAND_LABELS,
  REASON_SHORT,
  formatBytes,
  formatCount,
  formatEstimate,
} from '../../shared/health'
import type { JobDto } from '../../shared/jobs'
import { createHealthCore } from '../../core/services/health.service'
import { UsageError, stringOption } from '../args'
import type { CliCommand, CliContext } from '../command'
import { jobSummary, progressLine } from '../progress'

const n = formatCount
const count = (value: number, one: string) => `${n(value)} ${value === 1 ? one : `${one}s`}`

function folderOf(ctx: CliContext): string | undefined {
  const folder = stringOption(ctx.args, 'folder')
  if (ctx.args.options.folder === true) throw new UsageError('--folder needs a folder')
  return folder
}

/** The report for a terminal: one line per datum, then what is wrong and what to run. */
export function healthLines(report: HealthReportDto, plan: HealthPlanDto): string[] {
  const t = report.totals
  const lines: string[] = []
  lines.push(
    `Catalog health — ${report.catalogPath} (${report.folder ? `folder ${report.folder}` : 'whole catalog'})`,
  )
  lines.push(
    `photos      ${n(t.photos)} (${n(t.images)} images, ${n(t.videos)} videos, ${formatBytes(t.bytes)}, ${count(t.folders, 'folder')})` +
      `${t.vanished ? `; ${count(t.vanished, 'original')} missing` : ''}` +
      `${t.notImported ? `; ${count(t.notImported, 'file')} not imported` : ''}` +
      `${t.removed ? `; ${count(t.removed, 'photo')} removed in review` : ''}`,
  )
  lines.push('coverage')
  const width = Math.max(...report.coverage.map((c) => c.label.length))
  for (const c of report.coverage) {
    const label = c.label.padEnd(width)
    if (!c.available) {
      lines.push(`  – ${label}    n/a  ${c.unavailableReason ?? ''}`)
      continue
    }
    const mark = c.informational ? '·' : c.missing === 0 ? '✓' : '✗'
    const count = `${n(c.have)}/${n(c.eligible)}`
    const why =
      c.informational || c.missing === 0
        ? c.informational
          ? '(the rest were taken without a position)'
          : ''
        : `missing ${n(c.missing)}: ${c.missingBy.map((m) => `${REASON_SHORT[m.reason]} ${n(m.count)}`).join(', ')}`
    lines.push(
      `  ${mark} ${label} ${`${c.percent}%`.padStart(6)}  ${count.padStart(15)}  ${why}`.trimEnd(),
    )
  }
  const bands = report.dates.bands.filter((b) => b.count > 0)
  lines.push(
    `dates       ${bands.map((b) => `${DATE_BAND_LABELS[b.band]} ${n(b.count)}`).join(' · ') || 'none'}`,
  )
  if (report.dates.suspicious.length > 0) {
    lines.push(
      `            suspicious: ${report.dates.suspicious.map((s) => `${s.flag} ${n(s.count)}`).join(', ')}`,
    )
  }
  if (report.gpsSuspicious.length > 0) {
    lines.push(
      `gps flags   ${report.gpsSuspicious.map((s) => `${s.flag} ${n(s.count)}`).join(', ')}`,
    )
  }
  for (const [label, stats] of [
    ['duplicates', report.duplicates],
    ['bursts', report.bursts],
  ] as const) {
    lines.push(
      `${label.padEnd(11)} ${
        !stats.available
          ? 'not available'
          : stats.lastRunAt === null
            ? 'never run'
            : `${n(stats.groups)} groups; ${n(stats.unresolved)} open with ${n(stats.photos)} photos` +
              `${stats.bytesReclaimable ? `, ${formatBytes(stats.bytesReclaimable)} to reclaim` : ''}` +
              ` (last run ${stats.lastRunAt}${stats.stale ? ', out of date' : ''})`
      }`,
    )
  }
  const failing = report.consistency.filter((c) => c.available && c.count > 0)
  lines.push(`consistency ${failing.length === 0 ? 'all checks pass' : ''}`.trimEnd())
  for (const c of failing)
    lines.push(`  ✗ ${c.label}: ${n(c.count)}${c.fix ? `  → vam run ${c.fix}` : ''}`)
  for (const c of report.consistency.filter((x) => !x.available))
    lines.push(`  – ${c.label}: ${c.note ?? 'not checked'}`)
  const v = report.verify.last
  lines.push(
    v
      ? `verify      last ${v.at}: ${n(v.checked)} checked, ${n(v.vanished)} missing, ${n(v.relinked)} re-linked, ${n(v.changed)} changed; ${n(report.verify.notVerifiedSince)} imported since`
      : `verify      never verified (${n(report.verify.notVerifiedSince)} photos)`,
  )
  if (report.problems.length > 0) {
    lines.push('errors')
    for (const p of report.problems) {
      lines.push(
        `  ${p.stage}/${p.code}: ${n(p.count)}${p.transient ? ` (${n(p.retryable)} will be retried)` : ''}  e.g. ${p.examples[0] ?? ''}`,
      )
    }
  }
  lines.push(
    plan.steps.length === 0
      ? 'plan        nothing to run'
      : `plan        ${plan.steps.map((s) => s.kind).join(' → ')} (${formatEstimate(plan.sequentialSeconds)}); details: vam plan, start: vam plan --run`,
  )
  lines.push(
    `timing      ${report.timing.sqlMs} ms queries, ${report.timing.geohashMs} ms geohash decoding, ${report.timing.filesMs} ms file checks`,
  )
  return lines
}

/** The plan for a terminal. */
export function planLines(plan: HealthPlanDto): string[] {
  if (plan.steps.length === 0) {
    return [
      'Nothing to run: every gap a job can close is closed.',
      ...plan.notes.map((note) => `note: ${note}`),
    ]
  }
  const lines = ['Recommended jobs, in dependency order:']
  plan.steps.forEach((s, i) => {
    lines.push(
      ` ${i + 1}. ${s.title} — ${n(s.items)} items, ${formatEstimate(s.estimate.seconds)} ` +
        `(${s.estimate.source === 'measured' ? 'measured rate' : 'default rate, not measured yet'}: ${s.estimate.rate.toFixed(1)}/s)` +
        `${s.after.length > 0 ? `, after ${s.after.join(', ')}` : ''}`,
    )
    lines.push(`    ${s.reason}`)
    lines.push(`    $ ${s.command}`)
  })
  lines.push(
    `Total: ${formatEstimate(plan.sequentialSeconds)} one after another, ${formatEstimate(plan.parallelSeconds)} side by side.`,
  )
  lines.push('Expected after:')
  for (const e of plan.expected) {
    const left = e.remaining.reduce((sum, r) => sum + r.count, 0)
    lines.push(
      `  ${e.label}: ${e.nowPercent}% → ${e.afterPercent}%${left ? ` (${e.remaining.map((r) => `${REASON_SHORT[r.reason]} ${n(r.count)}`).join(', ')} remain)` : ''}`,
    )
  }
  for (const note of plan.notes) lines.push(`note: ${note}`)
  lines.push('Start it: vam plan --run [--parallel]')
  return lines
}

/** Waits for the plan's jobs, one progress line per running job on a TTY. */
async function waitForJobs(ctx: CliContext, jobIds: readonly number[]): Promise<JobDto[]> {
  const engine = await ctx.engine()
  const showProgress = ctx.isTty && !ctx.json && ctx.args.options['no-progress'] !== true
  const off = engine.events.on('jobChanged', (job) => {
    if (!showProgress || !jobIds.includes(job.id) || job.state !== 'running') return
    process.stderr.write(`\r\x1b[2K${progressLine(job)}`)
  })
  const onSigint = () => {
    ctx.err('\nstopping… (resume later with `vam jobs resume ID`)')
    void engine.jobs.shutdown()
  }
  process.once('SIGINT', onSigint)
  try {
    const finals: JobDto[] = []
    for (const id of jobIds) {
      const job = await engine.jobs.waitFor(id)
      if (showProgress) process.stderr.write('\r\x1b[2K')
      if (!ctx.json) ctx.out(jobSummary(job))
      finals.push(job)
    }
    return finals
  } finally {
    off()
    process.off('SIGINT', onSigint)
  }
}

export const healthCommands: CliCommand[] = [
  {
    name: 'health',
    usage: 'vam health [--json|--markdown] [--folder DIR]',
    summary: 'catalog health: coverage per datum, why items are missing, consistency, the plan',
    async run(ctx) {
      const health = createHealthCore(await ctx.engine())
      const folder = folderOf(ctx)
      if (ctx.args.options.markdown === true) {
        process.stdout.write(await health.markdown(folder))
        return 0
      }
      const { report, plan } = await health.plan(folder)
      if (ctx.json) ctx.printJson({ report, plan })
      else for (const line of healthLines(report, plan)) ctx.out(line)
      return 0
    },
  },
  {
    name: 'plan',
    usage: 'vam plan [--run] [--parallel] [--folder DIR] [--json]',
    summary: 'the recommended jobs in order with estimates; --run queues them and waits',
    async run(ctx) {
      const health = createHealthCore(await ctx.engine())
      const folder = folderOf(ctx)
      const parallel = ctx.args.options.parallel === true
      if (ctx.args.options.run !== true) {
        if (parallel) throw new UsageError('--parallel goes with --run')
        const { plan } = await health.plan(folder)
        if (ctx.json) ctx.printJson(plan)
        else for (const line of planLines(plan)) ctx.out(line)
        return 0
      }
      const queued = await health.runPlan({ folder, parallel })
      if (queued.jobIds.length === 0) {
        if (ctx.json)
          ctx.printJson({ queued, jobs: [], report: (await health.plan(folder)).report })
        else ctx.out('Nothing to run: every gap a job can close is closed.')
        return 0
      }
      if (!ctx.json) {
        ctx.err(
          `queued ${queued.jobIds.length} jobs (${queued.jobIds.join(', ')}) ${parallel ? `side by side, up to ${queued.maxConcurrent} at once` : 'one after another'}`,
        )
      }
      const jobs = await waitForJobs(ctx, queued.jobIds)
      const { report, plan } = await health.plan(folder)
      if (ctx.json) {
        ctx.printJson({ queued, jobs, report, plan })
      } else {
        ctx.out('')
        for (const line of healthLines(report, plan)) ctx.out(line)
      }
      if (jobs.some((j) => j.state === 'failed')) return 1
      return jobs.every((j) => j.state === 'completed') ? 0 : 130
    },
  },
]
