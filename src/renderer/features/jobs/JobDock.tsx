import { useShallow } from 'zustand/react/shallow'
import type { ErrorGroupDto } from '../../../shared/contract/jobs'
import type { JobDto, JobParams } from '../../../shared/jobs'
import { ProgressBar } from '../../components/ProgressBar'
import { useUiStore } from '../../app/ui.store'
import { ACTIVE_STATES, formatEta, overallProgress, useJobsStore } from './jobs.store'

function describeParams(job: JobDto): string {
  const p = job.params as Record<string, unknown>
  const detail = Object.entries(p)
    .filter(([k]) => k !== 'kind')
    .map(([, v]) => String(v))
    .join(' ')
  return detail ? `${job.kind} ${detail}` : job.kind
}

/** Per-item errors grouped by code, each with its files. */
export function ErrorGroups(props: { groups: readonly ErrorGroupDto[] }) {
  if (props.groups.length === 0) return <p className="muted">No per-item errors.</p>
  return (
    <div className="error-groups" data-testid="error-groups">
      {props.groups.map((g) => (
        <details key={g.code} className="error-group">
          <summary>
            <b>{g.code}</b> — {g.count.toLocaleString()} {g.count === 1 ? 'file' : 'files'}
          </summary>
          <ul>
            {g.items.map((e) => (
              <li key={e.id} title={e.message}>
                <code>{e.path}</code> <span className="muted">{e.message}</span>
              </li>
            ))}
            {g.count > g.items.length && (
              <li className="muted">… and {g.count - g.items.length} more</li>
            )}
          </ul>
        </details>
      ))}
    </div>
  )
}

function JobRow(props: { job: JobDto; expanded: boolean }) {
  const { job } = props
  const store = useJobsStore.getState()
  const processed = job.done + job.failed + job.skipped
  const fraction = job.total > 0 ? processed / job.total : job.state === 'completed' ? 1 : null
  const logs = useJobsStore((s) => s.logs[job.id])
  const errors = useJobsStore((s) => s.errors[job.id])
  return (
    <li
      className={`job-row state-${job.state}`}
      data-testid="job-row"
      data-job-id={job.id}
      data-state={job.state}
      data-kind={job.kind}
    >
      <div className="job-line">
        <button
          className="twisty"
          aria-label="Details"
          onClick={() => void store.expand(props.expanded ? null : job.id)}
        >
          {props.expanded ? '▾' : '▸'}
        </button>
        <span className="job-kind" title={describeParams(job)}>
          {describeParams(job)}
        </span>
        <span className={`job-state badge state-${job.state}`} data-testid="job-state">
          {job.state}
        </span>
        <ProgressBar fraction={fraction} label={`${job.kind} progress`} />
        <span className="job-counts">
          {processed.toLocaleString()}/{job.total.toLocaleString()}
          {job.failed > 0 && <span className="error-text"> · {job.failed} failed</span>}
          {job.skipped > 0 && <span className="muted"> · {job.skipped} skipped</span>}
        </span>
        <span className="job-rate">
          {job.state === 'running' ? `${job.rate.toFixed(1)}/s` : ''}
        </span>
        <span className="job-eta">
          {job.state === 'running' ? `ETA ${formatEta(job.etaSeconds)}` : ''}
        </span>
        <span className="job-actions">
          {job.state === 'running' && (
            <button onClick={() => void store.control(job.id, 'pause')}>Pause</button>
          )}
          {job.state === 'paused' && (
            <button onClick={() => void store.control(job.id, 'resume')}>Resume</button>
          )}
          {job.state === 'interrupted' && (
            <button onClick={() => void store.control(job.id, 'resume')}>Resume interrupted</button>
          )}
          {(ACTIVE_STATES.includes(job.state) || job.state === 'interrupted') && (
            <button onClick={() => void store.control(job.id, 'cancel')}>Cancel</button>
          )}
        </span>
      </div>
      {job.state === 'running' && job.currentItem && (
        <div className="job-current muted">{job.currentItem}</div>
      )}
      {job.error && <div className="error-text">{job.error}</div>}
      {props.expanded && (
        <div className="job-details">
          <h4>Errors</h4>
          {errors ? <ErrorGroups groups={errors} /> : <p className="muted">Loading…</p>}
          <h4>Log</h4>
          <pre className="job-log" data-testid="job-log">
            {(logs ?? [])
              .map((l) => `${l.at.slice(11, 19)} ${l.level.padEnd(5)} ${l.message}`)
              .join('\n')}
          </pre>
        </div>
      )}
    </li>
  )
}

/** Jobs a user starts by hand from the panel (import has its own page; the plan is on Health). */
const RUNNABLE: readonly { params: JobParams; label: string }[] = [
  { params: { kind: 'analyze' }, label: 'Analyze (thumbnails, hashes, quality)' },
  { params: { kind: 'duplicates' }, label: 'Find duplicates' },
  { params: { kind: 'bursts' }, label: 'Find bursts' },
  { params: { kind: 'clip' }, label: 'CLIP embeddings' },
  { params: { kind: 'geohash' }, label: 'Repair geohashes' },
  { params: { kind: 'verify' }, label: 'Verify originals' },
  { params: { kind: 'retry-failed' }, label: 'Retry failed items' },
  { params: { kind: 'backup' }, label: 'Back up the catalog' },
]

function RunJob() {
  return (
    <select
      aria-label="Run a job"
      data-testid="run-job"
      value=""
      onChange={(e) => {
        const entry = RUNNABLE.find((r) => r.params.kind === e.target.value)
        if (entry) void useJobsStore.getState().start(entry.params)
      }}
    >
      <option value="">Run a job…</option>
      {RUNNABLE.map((r) => (
        <option key={r.params.kind} value={r.params.kind}>
          {r.label}
        </option>
      ))}
    </select>
  )
}

/**
 * The bottom job dock: one line with overall progress and ETA; expands into the job panel with
 * every job, its controls, errors and log.
 */
export function JobDock() {
  const { jobs, expanded, error } = useJobsStore(
    useShallow((s) => ({ jobs: s.jobs, expanded: s.expanded, error: s.error })),
  )
  const open = useUiStore((s) => s.jobPanelOpen)
  const overall = overallProgress(jobs)
  return (
    <footer className={`job-dock ${open ? 'open' : ''}`} data-testid="job-dock">
      <button
        className="job-dock-line"
        onClick={() => useUiStore.getState().toggleJobPanel()}
        aria-expanded={open}
        data-testid="job-dock-toggle"
      >
        <span className="job-dock-label">
          {overall.active > 0 ? `${overall.active} active · ${overall.label}` : overall.label}
        </span>
        {overall.active > 0 && <ProgressBar fraction={overall.fraction} label="Overall progress" />}
        {overall.active > 0 && <span className="muted">ETA {formatEta(overall.etaSeconds)}</span>}
        <span className="muted">{open ? 'Hide jobs ▾' : 'Jobs ▴'}</span>
      </button>
      {open && (
        <div className="job-panel" data-testid="job-panel">
          <div className="job-panel-tools">
            <RunJob />
          </div>
          {error && <p className="error-text">{error}</p>}
          {jobs.length === 0 ? (
            <p className="muted">No jobs yet. Import a folder to start one.</p>
          ) : (
            <ul className="job-list">
              {jobs.map((j) => (
                <JobRow key={j.id} job={j} expanded={expanded === j.id} />
              ))}
            </ul>
          )}
        </div>
      )}
    </footer>
  )
}
