import { create } from 'zustand'
import type { ClipModelInfo } from '../../../shared/contract/search'
import { api } from '../../api/client'
import { useLibraryStore } from '../library/library.store'

/** Keystrokes within this many ms become one query. */
const DEBOUNCE_MS = 200

interface SearchState {
  readonly text: string
  /** The active CLIP model, or null (then the box searches names and cameras). */
  readonly model: ClipModelInfo | null
  setText(text: string): void
  submit(): void
  loadModel(): Promise<void>
}

let timer: ReturnType<typeof setTimeout> | undefined

/**
 * The top bar's search box: CLIP text search (ranked, combined with the grid's filters) when a
 * model is active, else file names and cameras through the grid's `text` filter.
 */
export const useSearchStore = create<SearchState>()((set, get) => ({
  text: '',
  model: null,
  async loadModel() {
    try {
      set({ model: await api().search.model({}) })
    } catch {
      set({ model: null })
    }
  },
  setText(text) {
    set({ text })
    clearTimeout(timer)
    timer = setTimeout(() => get().submit(), DEBOUNCE_MS)
  },
  submit() {
    clearTimeout(timer)
    const text = get().text.trim()
    const library = useLibraryStore.getState()
    if (get().model) {
      const current = library.search?.spec
      if (!text) library.clearSearch()
      else if (current?.kind !== 'text' || current.query !== text)
        void library.runSearch({ kind: 'text', query: text })
      return
    }
    if ((library.query.filter.text ?? '') !== text) library.setFilter({ text: text || undefined })
  },
}))
