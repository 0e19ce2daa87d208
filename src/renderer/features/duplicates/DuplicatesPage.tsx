import { EmptyState } from '../../components/EmptyState'

/** Duplicate review; lights up when the review service lands in this build. */
export function DuplicatesPage() {
  return (
    <div className="page" data-testid="duplicates-page">
      <EmptyState title="Duplicate review is not available in this build yet">
        <p>Run Analyze, then Duplicates, to find exact and near-duplicate groups.</p>
      </EmptyState>
    </div>
  )
}
