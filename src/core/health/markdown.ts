import type {
  CoverageDto,
  HealthPlanDto,
  HealthReportDto,
  ReasonCountDto,
} from '../../shared/contract/health'
import {
  DATE_BAND_LABELS,
  REASON_LABELS,
  REASON_SHORT,
  formatBytes,
  formatCount,
  formatEstimate,
} from '../../shared/health'

/**
 * The report and plan as a Markdown document a person would keep: what is healthy, what is
 * missing and why, what to run (commands, estimates, and where each estimate came from), what to
 * expect afterwards. Modelled on the hand-written seed report, but every number is computed.
 * Pure: report and plan in, text out.
 */

const n = formatCount

/** "1 file", "2 files". */
const count = (value: number, one: string, many = `${one}s`) =>
  `${n(value)} ${value === 1 ? one : many}`

function pct(part: number, whole: number): string {
  if (whole <= 0) return '0%'
  const p = Math.floor((part / whole) * 1000) / 10
  return `${part < whole ? Math.min(p, 99.9) : 100}%`
}

function reasons(list: readonly ReasonCountDto[]): string {
  return list.map((r) => `${REASON_SHORT[r.reason]} ${n(r.count)}`).join('; ')
}

function coverageLine(c: CoverageDto): string {
  const head = `- **${c.label}:** ${c.percent}% — ${n(c.have)} of ${n(c.eligible)}`
  if (c.datum === 'gps') return `${head} photos carry a position (the rest were taken without one)`
  if (c.missing === 0) return head
  return `${head}; ${n(c.missing)} missing: ${reasons(c.missingBy)}`
}

function groupLine(label: string, stats: HealthReportDto['duplicates'], command: string): string {
  if (!stats.available) return `- **${label}:** not available (${stats.unavailableReason ?? ''})`
  if (stats.lastRunAt === null) return `- **${label}:** never run (\`${command}\`)`
  const stale = stats.stale ? ' — out of date: photos were analyzed since' : ''
  const bytes = stats.bytesReclaimable ? `, ${formatBytes(stats.bytesReclaimable)} to reclaim` : ''
  return (
    `- **${label}:** ${n(stats.groups)} groups found; ${n(stats.unresolved)} waiting for review ` +
    `with ${n(stats.photos)} photos${bytes} (last run ${stats.lastRunAt})${stale}`
  )
}

function codeBlock(lines: readonly string[]): string[] {
  return ['```bash', ...lines, '```']
}

/** The Markdown document. */
export function renderMarkdown(report: HealthReportDto, plan: HealthPlanDto): string {
  const t = report.totals
  const out: string[] = []
  const scope = report.folder
    ? `folder \`${report.folder}\` (and its sub-folders)`
    : 'whole catalog'
  const folderFlag = report.folder ? ` --folder '${report.folder}'` : ''
  out.push('# Catalog Health & Recovery Plan', '')
  out.push(`**Generated:** ${report.generatedAt}  `)
  out.push(`**Catalog:** \`${report.catalogPath}\`  `)
  out.push(`**Scope:** ${scope}  `)
  out.push(
    `**Photos:** ${n(t.photos)} (${n(t.images)} images, ${n(t.videos)} videos, ${formatBytes(t.bytes)} in ${n(t.folders)} folders)`,
  )
  if (t.vanished > 0 || t.notImported > 0) {
    out.push('')
    if (t.vanished > 0)
      out.push(
        `- ${count(t.vanished, 'original is', 'originals are')} missing from disk (rows kept, marked missing).`,
      )
    if (t.notImported > 0)
      out.push(
        `- ${count(t.notImported, 'file')} could not be imported at all (see "Why items are missing").`,
      )
  }
  out.push('')
  out.push(
    '_Every number below is counted from the catalog rows and the files on disk when this report was generated; none comes from a stored flag._',
    '',
  )

  // Status
  out.push('## Current Status', '')
  const complete = report.coverage.filter(
    (c) => c.available && (c.missing === 0 || c.informational),
  )
  const gaps = report.coverage.filter((c) => c.available && !c.informational && c.missing > 0)
  const unavailable = report.coverage.filter((c) => !c.available)
  // Duplicates and bursts need action when never run, out of date, or waiting for review.
  const review = [
    { label: 'Duplicates', stats: report.duplicates, command: 'vam run duplicates' },
    { label: 'Bursts', stats: report.bursts, command: 'vam run bursts' },
  ].map((g) => ({
    line: groupLine(g.label, g.stats, g.command),
    open:
      g.stats.available && (g.stats.lastRunAt === null || g.stats.stale || g.stats.unresolved > 0),
  }))
  out.push('### ✅ Complete', '')
  if (complete.length === 0 && review.every((r) => r.open)) out.push('- nothing yet')
  for (const c of complete) out.push(coverageLine(c))
  for (const r of review) if (!r.open) out.push(r.line)
  out.push('')
  out.push('### ❌ Needs action', '')
  if (gaps.length === 0 && !review.some((r) => r.open))
    out.push('- nothing: every available datum is complete')
  for (const c of gaps) out.push(coverageLine(c))
  for (const r of review) if (r.open) out.push(r.line)
  out.push('')
  if (unavailable.length > 0) {
    out.push('### ⏸ Not available', '')
    for (const c of unavailable)
      out.push(`- **${c.label}:** ${c.unavailableReason ?? 'not available'}`)
    out.push('')
  }

  // Dates and places
  out.push('## Dates', '')
  out.push('| Where the date came from | Photos | Share |', '|---|---:|---:|')
  for (const b of report.dates.bands) {
    if (b.count > 0)
      out.push(`| ${DATE_BAND_LABELS[b.band]} | ${n(b.count)} | ${pct(b.count, t.photos)} |`)
  }
  out.push('')
  if (report.dates.suspicious.length > 0) {
    out.push(
      `Suspicious dates (kept, flagged for review): ${report.dates.suspicious.map((s) => `${s.flag} ${n(s.count)}`).join(', ')}.`,
      '',
    )
  } else {
    out.push('No suspicious dates (future, before 1990, camera-reset defaults).', '')
  }
  const gps = report.coverage.find((c) => c.datum === 'gps')
  const geohash = report.coverage.find((c) => c.datum === 'geohash')
  out.push('## GPS and map', '')
  if (gps) out.push(`- ${count(gps.have, 'photo')} (${gps.percent}%) with a valid GPS position.`)
  if (geohash) {
    out.push(
      geohash.missing === 0
        ? `- Every one of them has a geohash that matches its position (checked by decoding, not by counting the column).`
        : `- ${n(geohash.missing)} of them have no geohash or a wrong one: ${reasons(geohash.missingBy)}.`,
    )
  }
  for (const f of report.gpsSuspicious) out.push(`- GPS flagged \`${f.flag}\`: ${n(f.count)}`)
  out.push('')

  // Why missing
  out.push('## Why Items Are Missing', '')
  if (report.problems.length === 0) {
    out.push('No item errors: nothing failed.', '')
  } else {
    out.push(
      '| Stage | Reason | Items | Retried by `retry-failed` | Example |',
      '|---|---|---:|---|---|',
    )
    for (const p of report.problems) {
      out.push(
        `| ${p.stage} | ${REASON_LABELS[p.code]} | ${n(p.count)} | ${p.transient ? (p.retryable === p.count ? 'yes' : `${n(p.retryable)} of them`) : 'no'} | \`${p.examples[0] ?? ''}\` |`,
      )
    }
    out.push('')
  }
  const never = gaps.flatMap((c) =>
    c.missingBy.filter((r) => r.reason === 'never_processed').map((r) => ({ c, r })),
  )
  if (never.length > 0) {
    out.push(
      `Items marked "never processed" have no error: the job that makes them has not reached them yet (${never
        .map(({ c, r }) => `${c.label.toLowerCase()} ${n(r.count)}`)
        .join(', ')}).`,
      '',
    )
  }

  // Consistency
  out.push('## Consistency Checks', '')
  out.push('| Check | Result | Fixed by |', '|---|---|---|')
  for (const c of report.consistency) {
    const result = !c.available
      ? `not checked — ${c.note ?? ''}`
      : c.count === 0
        ? '✅ none'
        : `❌ ${n(c.count)}`
    out.push(`| ${c.label} | ${result} | ${c.fix ? `\`vam run ${c.fix}\`` : '—'} |`)
  }
  out.push('')
  const v = report.verify.last
  out.push(
    v
      ? `Originals last verified ${v.at} (job ${v.jobId}${v.folder ? `, folder ${v.folder}` : ''}): ${n(v.checked)} checked, ${n(v.vanished)} missing, ${n(v.relinked)} re-linked, ${n(v.changed)} changed, ${n(v.returned)} back. ${n(report.verify.notVerifiedSince)} photos were imported after it and have not been verified since.`
      : `Originals have never been verified: ${n(report.verify.notVerifiedSince)} photos not verified since import.`,
    '',
  )

  // Plan
  out.push('## Recommended Jobs (in order)', '')
  if (plan.steps.length === 0) {
    out.push('Nothing to run: no job would change anything now.', '')
  }
  plan.steps.forEach((step, i) => {
    out.push(`### ${i + 1}. ${step.title}`, '')
    out.push(`**Reason:** ${step.reason}  `)
    out.push(`**Items:** ${n(step.items)}  `)
    if (step.after.length > 0) out.push(`**After:** ${step.after.join(', ')}  `)
    out.push(
      `**Estimated time:** ${formatEstimate(step.estimate.seconds)} at ${step.estimate.rate.toFixed(1)} items/s ` +
        `(${step.estimate.source === 'measured' ? "measured on this machine's earlier runs" : 'conservative default: this machine has not run this job yet'})`,
    )
    out.push('', ...codeBlock([step.command]), '')
  })

  if (plan.steps.length > 0) {
    out.push('## Execution Plan', '')
    out.push(`### Option A: one after another (${formatEstimate(plan.sequentialSeconds)})`, '')
    out.push(
      ...codeBlock([
        `vam plan --run${folderFlag}`,
        '# which queues, each after the previous:',
        ...plan.steps.map((s) => s.command),
      ]),
      '',
    )
    out.push(
      `### Option B: side by side where dependencies allow (${formatEstimate(plan.parallelSeconds)})`,
      '',
    )
    out.push(...codeBlock([`vam plan --run --parallel${folderFlag}`]), '')
    out.push(
      "Jobs that need another job's results still wait for it; jobs that use the worker pool share it, so they gain little from running together.",
      '',
    )
  }

  out.push('## Expected Results After the Plan', '')
  for (const e of plan.expected) {
    const left = e.remaining.reduce((s, r) => s + r.count, 0)
    out.push(
      `- **${e.label}:** ${e.nowPercent}% → ${e.afterPercent}%${left > 0 ? ` (${n(left)} remain: ${reasons(e.remaining)})` : ''}`,
    )
  }
  if (plan.steps.some((s) => s.kind === 'duplicates'))
    out.push('- **Duplicates:** groups found among every hashed photo')
  if (plan.steps.some((s) => s.kind === 'bursts'))
    out.push('- **Bursts:** burst groups with a best frame picked by quality')
  out.push(
    `- **Total processing time:** ${formatEstimate(plan.sequentialSeconds)} sequential, ${formatEstimate(plan.parallelSeconds)} side by side`,
  )
  out.push('')

  if (plan.notes.length > 0) {
    out.push('## Notes', '')
    for (const note of plan.notes) out.push(`- ${note}`)
    out.push('')
  }

  out.push('## Monitoring Progress', '')
  out.push(
    ...codeBlock([
      'vam jobs list            # every job, newest first',
      'vam jobs status <job-id> # one job: progress, errors by reason, last log lines',
      'vam jobs cancel <job-id> # stops within a second; finished work is kept',
      `vam health${folderFlag}               # this report again, recomputed`,
    ]),
    '',
  )
  out.push(
    'All jobs are incremental (items already done are skipped) and resumable (`vam jobs resume <job-id>` after an interruption). A verified catalog backup is taken before destructive operations.',
    '',
  )
  out.push(
    `_Report computed in ${report.timing.sqlMs} ms of queries, ${report.timing.geohashMs} ms of geohash decoding and ${report.timing.filesMs} ms of file checks._`,
  )
  return `${out.join('\n')}\n`
}
