import { create } from 'zustand'
import { useLibraryStore } from '../library/library.store'

/** Keystrokes within this many ms become one query. */
const DEBOUNCE_MS = 200

interface SearchState {
  readonly text: string
  setText(text: string): void
  submit(): void
}

let timer: ReturnType<typeof setTimeout> | undefined

/**
 * The top bar's search box. Without a CLIP model it searches file names and cameras through the
 * grid's `text` filter; the CLIP search (issue 8) plugs in here when its contract lands.
 */
export const useSearchStore = create<SearchState>()((set, get) => ({
  text: '',
  setText(text) {
    set({ text })
    clearTimeout(timer)
    timer = setTimeout(() => get().submit(), DEBOUNCE_MS)
  },
  submit() {
    clearTimeout(timer)
    const text = get().text.trim()
    const library = useLibraryStore.getState()
    if ((library.query.filter.text ?? '') !== text) library.setFilter({ text: text || undefined })
  },
}))
