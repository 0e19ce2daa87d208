import type {
  ConsistencyCheckDto,
  CoverageDto,
  ExpectedDto,
  HealthPlanDto,
  HealthReportDto,
  PlanStepDto,
  ProblemDto,
} from '../../../shared/contract/health'
import {
  DATE_BAND_LABELS,
  REASON_LABELS,
  REASON_SHORT,
  formatBytes,
  formatCount,
  formatEstimate,
} from '../../../shared/health'
import type { JobKind } from '../../../shared/jobs'
import { ProgressBar } from '../../components/ProgressBar'
import { ValueRow } from '../../components/ValueTable'
import { coverageTone, type StepStatus } from './health.store'

/*
 * The Health page's sections. Presentational: data and callbacks in, markup out; HealthPage wires
 * them to the store.
 */

const n = formatCount

/** The catalog at a glance. */
export function TotalsLine(props: { report: HealthReportDto }) {
  const t = props.report.totals
  return (
    <p className="health-totals" data-testid="health-totals">
      <b>{n(t.photos)}</b> photos ({n(t.images)} images, {n(t.videos)} videos,{' '}
      {formatBytes(t.bytes)}) in {n(t.folders)} {t.folders === 1 ? 'folder' : 'folders'}
      {t.vanished > 0 && <span className="badge warn">{n(t.vanished)} originals missing</span>}
      {t.notImported > 0 && (
        <span className="badge warn">{n(t.notImported)} files not imported</span>
      )}
      {t.removed > 0 && <span className="badge">{n(t.removed)} removed in review</span>}
    </p>
  )
}

function ReasonChips(props: { coverage: CoverageDto }) {
  if (props.coverage.informational)
    return <span className="muted">the rest were taken without a position</span>
  if (props.coverage.missing === 0) return null
  return (
    <span className="reason-chips">
      {props.coverage.missingBy.map((r) => (
        <span
          key={r.reason}
          className={`reason-chip reason-${r.reason}`}
          title={`${REASON_LABELS[r.reason]}${r.examples.length ? `\ne.g. ${r.examples.join('\n')}` : ''}`}
        >
          {REASON_SHORT[r.reason]} {n(r.count)}
        </span>
      ))}
    </span>
  )
}

/** Coverage per datum: a bar, the numbers, every missing item's reason. */
export function CoverageTable(props: { coverage: readonly CoverageDto[] }) {
  return (
    <table className="health-table coverage-table">
      <thead>
        <tr>
          <th>Data</th>
          <th className="bar-cell">Coverage</th>
          <th className="num">Have</th>
          <th>Why the rest is missing</th>
        </tr>
      </thead>
      <tbody>
        {props.coverage.map((c) => {
          const tone = coverageTone(c)
          return (
            <tr key={c.datum} className={`tone-${tone}`} data-testid={`coverage-${c.datum}`}>
              <td>
                <span className={`tone-dot tone-${tone}`} aria-hidden /> {c.label}
              </td>
              {c.available ? (
                <>
                  <td className="bar-cell">
                    <ProgressBar
                      fraction={c.eligible > 0 ? c.have / c.eligible : 1}
                      label={`${c.label} coverage`}
                    />
                    <span className="pct">{c.percent}%</span>
                  </td>
                  <td className="num">
                    {n(c.have)} / {n(c.eligible)}
                  </td>
                  <td>
                    <ReasonChips coverage={c} />
                  </td>
                </>
              ) : (
                <td colSpan={3} className="muted">
                  {c.unavailableReason}
                </td>
              )}
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}

function StepState(props: { status: StepStatus }) {
  const s = props.status
  if (s.kind === 'idle') return null
  if (s.kind === 'active') {
    return (
      <span className="step-state">
        <ProgressBar fraction={s.fraction} label={`job ${s.job.id} progress`} />
        <span className={`badge state-${s.job.state}`}>{s.job.state}</span>
      </span>
    )
  }
  return (
    <span className={`badge state-${s.job.state}`}>
      job {s.job.id} {s.job.state}
    </span>
  )
}

/** The recommended jobs in order, each with its button; the whole plan's buttons. */
export function PlanSection(props: {
  plan: HealthPlanDto
  statusOf: (step: PlanStepDto) => StepStatus
  onRunStep: (step: PlanStepDto) => void
  onRunPlan: (parallel: boolean) => void
}) {
  const { plan } = props
  if (plan.steps.length === 0) {
    return (
      <p className="health-nothing" data-testid="plan-empty">
        Nothing to run: every gap a job can close is closed.
      </p>
    )
  }
  const busy = plan.steps.some((s) => props.statusOf(s).kind === 'active')
  return (
    <>
      <ol className="plan-steps">
        {plan.steps.map((step) => {
          const status = props.statusOf(step)
          return (
            <li key={step.kind} className="plan-step" data-testid={`plan-step-${step.kind}`}>
              <div className="plan-step-head">
                <b>{step.title}</b>
                <span className="muted">
                  {n(step.items)} items · {formatEstimate(step.estimate.seconds)}{' '}
                  <span title={`${step.estimate.rate.toFixed(1)} items/s`}>
                    (
                    {step.estimate.source === 'measured'
                      ? 'measured on this machine'
                      : 'estimate; not measured yet'}
                    )
                  </span>
                  {step.after.length > 0 && <> · after {step.after.join(', ')}</>}
                </span>
                <span className="spacer" />
                <StepState status={status} />
                <button
                  data-testid={`run-step-${step.kind}`}
                  disabled={status.kind === 'active'}
                  onClick={() => props.onRunStep(step)}
                >
                  Run
                </button>
              </div>
              <div className="plan-step-reason">{step.reason}</div>
              <code className="plan-step-command">{step.command}</code>
            </li>
          )
        })}
      </ol>
      <div className="plan-actions">
        <button
          className="primary"
          data-testid="run-plan"
          disabled={busy}
          onClick={() => props.onRunPlan(false)}
        >
          Run the plan ({formatEstimate(plan.sequentialSeconds)})
        </button>
        <button
          data-testid="run-plan-parallel"
          disabled={busy}
          onClick={() => props.onRunPlan(true)}
        >
          Side by side ({formatEstimate(plan.parallelSeconds)})
        </button>
        <span className="muted">
          Progress shows in the job panel; this page refreshes as jobs finish.
        </span>
      </div>
    </>
  )
}

/** What the coverage should be once the plan ran, and what will remain (and why). */
export function ExpectedSection(props: { expected: readonly ExpectedDto[] }) {
  return (
    <ul className="expected-list" data-testid="expected">
      {props.expected.map((e) => {
        const left = e.remaining.reduce((sum, r) => sum + r.count, 0)
        return (
          <li key={e.datum}>
            <b>{e.label}:</b> {e.nowPercent}% → {e.afterPercent}%
            {left > 0 && (
              <span className="muted">
                {' '}
                ({e.remaining.map((r) => `${REASON_SHORT[r.reason]} ${n(r.count)}`).join(', ')}{' '}
                remain)
              </span>
            )}
          </li>
        )
      })}
    </ul>
  )
}

/** Item errors by stage and reason. */
export function ProblemsTable(props: { problems: readonly ProblemDto[] }) {
  if (props.problems.length === 0) return <p className="muted">No item errors: nothing failed.</p>
  return (
    <table className="health-table" data-testid="problems">
      <thead>
        <tr>
          <th>Stage</th>
          <th>Reason</th>
          <th className="num">Items</th>
          <th>Retried</th>
          <th>Example</th>
        </tr>
      </thead>
      <tbody>
        {props.problems.map((p) => (
          <tr key={`${p.stage}/${p.code}`}>
            <td>{p.stage}</td>
            <td>{REASON_LABELS[p.code]}</td>
            <td className="num">{n(p.count)}</td>
            <td>
              {p.transient ? (p.retryable === p.count ? 'yes' : `${n(p.retryable)} of them`) : 'no'}
            </td>
            <td>
              <code className="example-path">{p.examples[0] ?? ''}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** Consistency checks: green when nothing fails, else the count, an example and the fix. */
export function ConsistencyList(props: {
  checks: readonly ConsistencyCheckDto[]
  onFix: (kind: JobKind) => void
}) {
  return (
    <ul className="check-list" data-testid="consistency">
      {props.checks.map((c) => (
        <li
          key={c.check}
          className={!c.available ? 'check-na' : c.count === 0 ? 'check-ok' : 'check-bad'}
        >
          <span className="check-mark" aria-hidden>
            {!c.available ? '–' : c.count === 0 ? '✓' : '✗'}
          </span>
          <span>
            {c.label}
            {c.available && c.count > 0 && <b> {n(c.count)}</b>}
            {c.examples[0] && c.count > 0 && <code className="example-path"> {c.examples[0]}</code>}
            {c.note && <span className="muted"> — {c.note}</span>}
          </span>
          {c.available && c.count > 0 && c.fix && (
            <button className="check-fix" onClick={() => props.onFix(c.fix as JobKind)}>
              Run {c.fix}
            </button>
          )}
        </li>
      ))}
    </ul>
  )
}

/** Dates, places, groups and originals: the facts behind the coverage. */
export function FactsSection(props: { report: HealthReportDto }) {
  const r = props.report
  const v = r.verify.last
  const groups = (g: HealthReportDto['duplicates']) =>
    !g.available
      ? (g.unavailableReason ?? 'not available')
      : g.lastRunAt === null
        ? 'never run'
        : `${n(g.groups)} groups; ${n(g.unresolved)} open with ${n(g.photos)} photos${g.bytesReclaimable ? ` (${formatBytes(g.bytesReclaimable)} to reclaim)` : ''}${g.stale ? ' — out of date' : ''}`
  return (
    <dl className="value-table health-facts">
      <ValueRow label="Dates from">
        {r.dates.bands
          .filter((b) => b.count > 0)
          .map((b) => `${DATE_BAND_LABELS[b.band]}: ${n(b.count)}`)
          .join(' · ') || '—'}
      </ValueRow>
      <ValueRow label="Suspicious dates">
        {r.dates.suspicious.length === 0
          ? 'none'
          : r.dates.suspicious.map((s) => `${s.flag} ${n(s.count)}`).join(', ')}
      </ValueRow>
      <ValueRow label="GPS flags">
        {r.gpsSuspicious.length === 0
          ? 'none'
          : r.gpsSuspicious.map((s) => `${s.flag} ${n(s.count)}`).join(', ')}
      </ValueRow>
      <ValueRow label="Duplicates">{groups(r.duplicates)}</ValueRow>
      <ValueRow label="Bursts">{groups(r.bursts)}</ValueRow>
      <ValueRow label="CLIP model">{r.clipModel ?? 'none'}</ValueRow>
      <ValueRow label="Originals verified">
        {v
          ? `${new Date(v.at).toLocaleString()}: ${n(v.checked)} checked, ${n(v.vanished)} missing, ${n(v.relinked)} re-linked, ${n(v.changed)} changed; ${n(r.verify.notVerifiedSince)} imported since`
          : `never (${n(r.verify.notVerifiedSince)} photos not verified since import)`}
      </ValueRow>
    </dl>
  )
}
