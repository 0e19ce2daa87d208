import { useEffect, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { JobKind } from '../../../shared/jobs'
import { EmptyState } from '../../components/EmptyState'
import { useJobsStore } from '../jobs/jobs.store'
import {
  ConsistencyList,
  CoverageTable,
  ExpectedSection,
  FactsSection,
  PlanSection,
  ProblemsTable,
  TotalsLine,
} from './HealthSections'
import { stepStatus, useHealthStore } from './health.store'
import './health.css'

/** Saves text as a file through the browser (the desktop app shows its save dialog). */
function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/markdown' }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/** Limits the page to one folder (and its sub-folders), or the whole catalog. */
function ScopeForm(props: { folder: string | null; onApply: (folder: string | null) => void }) {
  const [text, setText] = useState(props.folder ?? '')
  return (
    <form
      className="health-scope"
      onSubmit={(e) => {
        e.preventDefault()
        props.onApply(text)
      }}
    >
      <input
        type="text"
        value={text}
        placeholder="Whole catalog (or a folder path)"
        aria-label="Folder"
        onChange={(e) => setText(e.target.value)}
      />
      <button type="submit">Apply</button>
      {props.folder && (
        <button
          type="button"
          onClick={() => {
            setText('')
            props.onApply(null)
          }}
        >
          Whole catalog
        </button>
      )}
    </form>
  )
}

/**
 * The Health page: the seed report, computed live — coverage per datum with every gap's reason,
 * consistency checks, the recommended jobs with a button each and one for the whole plan, the
 * expected result, and a Markdown export. Refreshes as jobs finish and the catalog changes.
 */
export function HealthPage() {
  const h = useHealthStore(
    useShallow((s) => ({
      report: s.report,
      plan: s.plan,
      folder: s.folder,
      loading: s.loading,
      error: s.error,
      started: s.started,
    })),
  )
  const jobs = useJobsStore((s) => s.jobs)
  const [note, setNote] = useState<string | null>(null)
  useEffect(() => {
    const store = useHealthStore.getState()
    void store.load()
    return store.subscribe()
  }, [])
  const store = useHealthStore.getState()
  const runKind = (kind: JobKind) => {
    if (kind === 'analyze' || kind === 'verify' || kind === 'geohash' || kind === 'retry-failed') {
      void store.runKind(kind)
    }
  }

  if (!h.report || !h.plan) {
    return (
      <div className="page health-page" data-testid="health-page">
        <h1>Catalog health</h1>
        {h.error ? (
          <p className="error-text">{h.error}</p>
        ) : (
          <p className="muted">Computing the report…</p>
        )}
      </div>
    )
  }
  const { report, plan } = h
  if (report.totals.photos === 0 && report.totals.notImported === 0 && !h.folder) {
    return (
      <div className="page health-page" data-testid="health-page">
        <EmptyState title="Nothing to check yet" testId="health-empty">
          <p>
            Import a folder of photos; this page then shows what is complete, what is missing and
            why, and the jobs that close the gaps.
          </p>
        </EmptyState>
      </div>
    )
  }
  return (
    <div className="page health-page" data-testid="health-page">
      <div className="health-head">
        <h1>Catalog health</h1>
        <span className="spacer" />
        <ScopeForm folder={h.folder} onApply={(f) => void store.setFolder(f)} />
        <button onClick={() => void store.load()} disabled={h.loading}>
          {h.loading ? 'Refreshing…' : 'Refresh'}
        </button>
        <button
          data-testid="export-markdown"
          onClick={() =>
            void store.markdown().then((md) => {
              if (md) download('catalog-health.md', md)
            })
          }
        >
          Export Markdown
        </button>
        <button
          onClick={() =>
            void store.markdown().then(async (md) => {
              if (!md) return
              await navigator.clipboard.writeText(md)
              setNote('Report copied as Markdown.')
            })
          }
        >
          Copy
        </button>
      </div>
      {h.error && <p className="error-text">{h.error}</p>}
      {note && <p className="muted">{note}</p>}
      <TotalsLine report={report} />

      <section>
        <h2>Coverage</h2>
        <CoverageTable coverage={report.coverage} />
      </section>

      <section>
        <h2>Recommended jobs</h2>
        <PlanSection
          plan={plan}
          statusOf={(step) => stepStatus(step, h.started, jobs)}
          onRunStep={(step) => void store.runStep(step)}
          onRunPlan={(parallel) => void store.runPlan(parallel)}
        />
        {plan.steps.length > 0 && (
          <>
            <h3>Expected after the plan</h3>
            <ExpectedSection expected={plan.expected} />
          </>
        )}
        {plan.notes.length > 0 && (
          <ul className="health-notes" data-testid="plan-notes">
            {plan.notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        )}
      </section>

      <section>
        <h2>Why items are missing</h2>
        <ProblemsTable problems={report.problems} />
      </section>

      <section>
        <h2>Consistency</h2>
        <ConsistencyList checks={report.consistency} onFix={runKind} />
      </section>

      <section>
        <h2>Details</h2>
        <FactsSection report={report} />
      </section>

      <p className="muted health-timing">
        Computed {new Date(report.generatedAt).toLocaleTimeString()} in {report.timing.sqlMs} ms of
        queries, {report.timing.geohashMs} ms of geohash checks and {report.timing.filesMs} ms of
        file checks.
      </p>
    </div>
  )
}
