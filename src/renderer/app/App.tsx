import { useEffect } from 'react'
import { BurstsPage } from '../features/bursts/BurstsPage'
import { DuplicatesPage } from '../features/duplicates/DuplicatesPage'
import { DropOverlay } from '../features/import/DropOverlay'
import { ImportPage } from '../features/import/ImportPage'
import { ErrorsPage } from '../features/jobs/ErrorsPage'
import { JobDock } from '../features/jobs/JobDock'
import { useJobsStore } from '../features/jobs/jobs.store'
import { FilterBar } from '../features/library/FilterBar'
import { InfoPanel } from '../features/library/InfoPanel'
import { LibraryGrid } from '../features/library/LibraryGrid'
import { useLibraryStore } from '../features/library/library.store'
import { MapPage } from '../features/map/MapPage'
import { SearchBox } from '../features/search/SearchBox'
import { useSearchStore } from '../features/search/search.store'
import { SettingsPage } from '../features/settings/SettingsPage'
import { useSettingsStore } from '../features/settings/settings.store'
import { Viewer } from '../features/viewer/Viewer'
import { useCountsStore } from './counts.store'
import { connectEvents } from './events'
import { HealthSlot } from './HealthSlot'
import { Sidebar } from './Sidebar'
import { useUiStore, type View } from './ui.store'
import { assertNever } from '../../shared/assert'

function CentreView(props: { view: View }) {
  switch (props.view) {
    case 'library':
      return (
        <>
          <LibraryGrid />
          <Viewer />
        </>
      )
    case 'duplicates':
      return <DuplicatesPage />
    case 'bursts':
      return <BurstsPage />
    case 'errors':
      return <ErrorsPage />
    case 'map':
      return <MapPage />
    case 'health':
      return <HealthSlot />
    case 'settings':
      return <SettingsPage />
    case 'import':
      return <ImportPage />
    default:
      return assertNever(props.view)
  }
}

function Toast() {
  const toast = useUiStore((s) => s.toast)
  useEffect(() => {
    if (!toast) return
    const t = setTimeout(() => useUiStore.getState().dismissToast(), 5000)
    return () => clearTimeout(t)
  }, [toast])
  if (!toast) return null
  return (
    <div
      className={`toast ${toast.kind}`}
      role="status"
      data-testid="toast"
      onClick={() => useUiStore.getState().dismissToast()}
    >
      {toast.text}
    </div>
  )
}

/** The window: sidebar, top bar, centre view, info panel and job dock. */
export function App() {
  const view = useUiStore((s) => s.view)
  const infoOpen = useUiStore((s) => s.infoPanelOpen)

  useEffect(() => {
    const disconnect = connectEvents()
    void useSettingsStore.getState().load()
    void useJobsStore.getState().load()
    void useLibraryStore.getState().loadSidebar()
    void useCountsStore.getState().refresh()
    void useSearchStore.getState().loadModel()
    useLibraryStore.getState().ensureRange(0, 0)
    return disconnect
  }, [])

  const showInfo = infoOpen && (view === 'library' || view === 'map')
  return (
    <div className={`app ${showInfo ? 'with-info' : ''}`}>
      <header className="top-bar">
        <span className="app-name">VAM</span>
        <SearchBox />
        {(view === 'library' || view === 'map') && <FilterBar />}
      </header>
      <Sidebar />
      <main className="centre">
        <CentreView view={view} />
      </main>
      {showInfo && <InfoPanel />}
      <JobDock />
      <DropOverlay />
      <Toast />
    </div>
  )
}
