import { EmptyState } from '../../components/EmptyState'

/** Burst review; lights up when the review service lands in this build. */
export function BurstsPage() {
  return (
    <div className="page" data-testid="bursts-page">
      <EmptyState title="Burst review is not available in this build yet">
        <p>Run Analyze, then Bursts, to find series of frames shot within a second or two.</p>
      </EmptyState>
    </div>
  )
}
