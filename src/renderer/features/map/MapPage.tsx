import { EmptyState } from '../../components/EmptyState'

export function MapPage() {
  return (
    <div className="page" data-testid="map-page">
      <EmptyState title="Map">
        <p>Coming next.</p>
      </EmptyState>
    </div>
  )
}
