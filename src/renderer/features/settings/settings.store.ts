import { create } from 'zustand'
import type { CatalogInfo, SettingsPatchSchema } from '../../../shared/contract/catalog'
import type { Settings } from '../../../shared/settings'
import type { z } from 'zod'
import { api } from '../../api/client'
import { errorMessage } from '../../api/api-error'
import { applyTheme } from '../../app/ui.store'

export type SettingsPatch = z.input<typeof SettingsPatchSchema>

interface SettingsState {
  readonly settings: Settings | null
  readonly info: CatalogInfo | null
  readonly saving: boolean
  readonly error: string | null
  load(): Promise<void>
  update(patch: SettingsPatch): Promise<void>
  refreshInfo(): Promise<void>
}

export const useSettingsStore = create<SettingsState>()((set) => ({
  settings: null,
  info: null,
  saving: false,
  error: null,
  async load() {
    try {
      const [settings, info] = await Promise.all([
        api().catalog.settings({}),
        api().catalog.info({}),
      ])
      applyTheme(settings.theme)
      set({ settings, info, error: null })
    } catch (error) {
      set({ error: errorMessage(error) })
    }
  },
  async update(patch) {
    set({ saving: true })
    try {
      const settings = await api().catalog.updateSettings(patch)
      applyTheme(settings.theme)
      set({ settings, saving: false, error: null })
    } catch (error) {
      set({ saving: false, error: errorMessage(error) })
    }
  },
  async refreshInfo() {
    try {
      set({ info: await api().catalog.info({}) })
    } catch {
      // Counts refresh again on the next catalog change.
    }
  },
}))

const NO_FOLDERS: readonly string[] = []

/** Recent import folders; a stable empty array so subscribers do not re-render in a loop. */
export function selectRecentFolders(state: SettingsState): readonly string[] {
  return state.settings?.recentFolders ?? NO_FOLDERS
}
