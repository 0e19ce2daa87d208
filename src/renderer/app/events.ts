import { api } from '../api/client'
import { useJobsStore } from '../features/jobs/jobs.store'
import { useLibraryStore } from '../features/library/library.store'
import { useSettingsStore } from '../features/settings/settings.store'
import { useBurstsStore } from '../features/bursts/bursts.store'
import { useDuplicatesStore } from '../features/duplicates/duplicates.store'
import { useCountsStore } from './counts.store'
import { useUiStore } from './ui.store'

/** Grid refreshes on catalog changes are coalesced to at most this often while an import runs. */
const REFRESH_INTERVAL_MS = 700

/** Listeners features add for catalog changes (review lists, map clusters). */
export const CATALOG_LISTENERS = new Set<() => void>()

/**
 * Wires the host's events into the stores once at start-up: job progress into the job panel,
 * catalog changes into a throttled refresh of the grid, sidebar counts and feature views.
 */
export function connectEvents(): () => void {
  let last = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  const refresh = () => {
    timer = undefined
    last = performance.now()
    useLibraryStore.getState().refresh()
    void useCountsStore.getState().refresh()
    void useSettingsStore.getState().refreshInfo()
    for (const listener of CATALOG_LISTENERS) listener()
  }
  const offs = [
    api().on('jobChanged', (job) => {
      useJobsStore.getState().upsert(job)
      // A job that just ended may have left errors or changed counts without a catalog event.
      if (job.state !== 'running' && job.state !== 'paused' && job.state !== 'queued')
        void useCountsStore.getState().refresh()
    }),
    api().on('jobLog', (line) => useJobsStore.getState().appendLog(line)),
    api().on('catalogChanged', () => {
      if (timer !== undefined) return
      const wait = Math.max(0, REFRESH_INTERVAL_MS - (performance.now() - last))
      timer = setTimeout(refresh, wait)
    }),
    // The desktop app's native menu (Edit ▸ Undo, Find, Settings…): a browser never sends these.
    api().on('menuCommand', ({ command }) => {
      const view = useUiStore.getState().view
      const typing = document.activeElement instanceof HTMLInputElement
      if (command === 'undo' && !typing) {
        if (view === 'duplicates') void useDuplicatesStore.getState().undo()
        else if (view === 'bursts') void useBurstsStore.getState().undo()
      } else if (command === 'find') {
        document.querySelector<HTMLInputElement>('[data-testid=search-box]')?.focus()
      } else if (command === 'openSettings') {
        useUiStore.getState().go('settings')
      } else if (command === 'selectAll' && !typing && view === 'library') {
        useLibraryStore.getState().selectAll()
      }
    }),
  ]
  return () => {
    for (const off of offs) off()
    clearTimeout(timer)
  }
}
