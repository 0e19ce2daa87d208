import type { ReactNode } from 'react'
import { EmptyState } from '../../components/EmptyState'
import { useJobsStore } from '../jobs/jobs.store'

/** An empty review queue: what finds its items, and a button that starts that job. */
export function ReviewEmpty(props: {
  pageTestId: string
  testId: string
  title: string
  children: ReactNode
  job: 'duplicates' | 'bursts'
  jobLabel: string
}) {
  return (
    <div className="page" data-testid={props.pageTestId}>
      <EmptyState title={props.title} testId={props.testId}>
        {props.children}
        <button onClick={() => void useJobsStore.getState().start({ kind: props.job })}>
          {props.jobLabel}
        </button>
      </EmptyState>
    </div>
  )
}
