import { create } from 'zustand'
import { pathForDroppedFile } from '../../api/client'
import { errorMessage } from '../../api/api-error'
import { useJobsStore } from '../jobs/jobs.store'
import { useSettingsStore } from '../settings/settings.store'
import { useUiStore } from '../../app/ui.store'

/** What a drop over the window would import (shown by the overlay). */
export interface DropPreview {
  readonly folderName: string
  /** Null until the dropped folder's files have been counted. */
  readonly fileCount: number | null
  /** The folder's path when the host can tell it (desktop); null in a browser. */
  readonly path: string | null
}

interface ImportState {
  readonly dragging: boolean
  readonly drop: DropPreview | null
  readonly pathInput: string
  readonly error: string | null
  setDragging(dragging: boolean): void
  setPathInput(path: string): void
  /** A folder was dropped: import it at once when its path is known, else ask for the path. */
  dropped(entry: {
    readonly file: File
    readonly name: string
    readonly count: Promise<number>
  }): Promise<void>
  start(root: string): Promise<boolean>
}

const MAX_RECENT = 10

export const useImportStore = create<ImportState>()((set, get) => ({
  dragging: false,
  drop: null,
  pathInput: '',
  error: null,
  setDragging(dragging) {
    if (get().dragging !== dragging) set({ dragging })
  },
  setPathInput(pathInput) {
    set({ pathInput, error: null })
  },
  async dropped({ file, name, count }) {
    const path = pathForDroppedFile(file)
    set({ dragging: false, drop: { folderName: name, fileCount: null, path } })
    count.then(
      (fileCount) =>
        set((s) => (s.drop?.folderName === name ? { drop: { ...s.drop, fileCount } } : s)),
      () => undefined,
    )
    if (path) {
      await get().start(path)
    } else {
      // A browser never reveals where a dropped folder lives: the user types its path.
      set({ pathInput: get().pathInput || name })
      useUiStore.getState().go('import')
    }
  },
  async start(root) {
    const trimmed = root.trim()
    if (!trimmed) {
      set({ error: 'Type the full path of a folder to import.' })
      return false
    }
    const job = await useJobsStore.getState().start({ kind: 'import', root: trimmed })
    if (!job) {
      set({ error: useJobsStore.getState().error ?? 'The import could not start.' })
      return false
    }
    set({ error: null, pathInput: '' })
    useUiStore.getState().notify(`Importing ${trimmed}`)
    useUiStore.getState().toggleJobPanel(true)
    try {
      const recent = useSettingsStore.getState().settings?.recentFolders ?? []
      const recentFolders = [trimmed, ...recent.filter((f) => f !== trimmed)].slice(0, MAX_RECENT)
      await useSettingsStore.getState().update({ recentFolders })
    } catch (error) {
      set({ error: errorMessage(error) })
    }
    return true
  },
}))

/** Counts files under a dropped directory entry (the browser's File System Entries API). */
export async function countDroppedFiles(
  entry: FileSystemEntry | null,
  cap = 100_000,
): Promise<number> {
  if (!entry) return 0
  if (entry.isFile) return 1
  let count = 0
  const queue: FileSystemDirectoryEntry[] = [entry as FileSystemDirectoryEntry]
  while (queue.length > 0 && count < cap) {
    const dir = queue.shift() as FileSystemDirectoryEntry
    const reader = dir.createReader()
    for (;;) {
      const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
        reader.readEntries(resolve, reject),
      )
      if (batch.length === 0) break
      for (const child of batch) {
        if (child.name.startsWith('.')) continue
        if (child.isFile) count++
        else queue.push(child as FileSystemDirectoryEntry)
      }
    }
  }
  return count
}
