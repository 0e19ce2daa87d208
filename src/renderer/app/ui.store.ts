import { create } from 'zustand'

/** The centre views reachable from the sidebar; the URL hash mirrors the current one. */
export type View =
  'library' | 'duplicates' | 'bursts' | 'errors' | 'map' | 'health' | 'settings' | 'import'

export const VIEWS: readonly View[] = [
  'library',
  'duplicates',
  'bursts',
  'errors',
  'map',
  'health',
  'settings',
  'import',
]

export type ThemeChoice = 'system' | 'light' | 'dark'

interface UiState {
  readonly view: View
  readonly jobPanelOpen: boolean
  readonly infoPanelOpen: boolean
  /** A short message in the corner (import started, undo done, errors). */
  readonly toast: {
    readonly text: string
    readonly kind: 'info' | 'error'
    readonly at: number
  } | null
  go(view: View): void
  toggleJobPanel(open?: boolean): void
  toggleInfoPanel(): void
  notify(text: string, kind?: 'info' | 'error'): void
  dismissToast(): void
}

export function viewFromHash(hash: string): View {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? ''
  return (VIEWS as readonly string[]).includes(name) ? (name as View) : 'library'
}

export const useUiStore = create<UiState>()((set) => ({
  view: viewFromHash(window.location.hash),
  jobPanelOpen: false,
  infoPanelOpen: true,
  toast: null,
  go(view) {
    if (window.location.hash !== `#/${view}`) window.location.hash = `#/${view}`
    set({ view })
  },
  toggleJobPanel(open) {
    set((s) => ({ jobPanelOpen: open ?? !s.jobPanelOpen }))
  },
  toggleInfoPanel() {
    set((s) => ({ infoPanelOpen: !s.infoPanelOpen }))
  },
  notify(text, kind = 'info') {
    set({ toast: { text, kind, at: Date.now() } })
  },
  dismissToast() {
    set({ toast: null })
  },
}))

window.addEventListener('hashchange', () => {
  useUiStore.setState({ view: viewFromHash(window.location.hash) })
})

/** Applies the theme: `system` follows prefers-color-scheme through CSS, the others force it. */
export function applyTheme(choice: ThemeChoice): void {
  document.documentElement.dataset.theme = choice
}
