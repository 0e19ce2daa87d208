import { describe, expect, it } from 'vitest'
import { SECURE_WEB_PREFERENCES, createWindowOptions } from '../../src/main/window-options'

const base = {
  preloadPath: '/app/out/preload/index.cjs',
  platform: 'linux' as const,
  devTools: false,
}

describe(createWindowOptions.name, () => {
  it('sets every security flag of the renderer', () => {
    const prefs = createWindowOptions(base).webPreferences
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
    })
    // Never set: these only ever loosen Chromium's defaults.
    expect(prefs).not.toHaveProperty('enableBlinkFeatures')
    expect(prefs).not.toHaveProperty('additionalArguments')
    expect(prefs).not.toHaveProperty('partition')
  })

  it('loads the bundled CommonJS preload (a sandboxed preload cannot be ESM)', () => {
    const prefs = createWindowOptions(base).webPreferences
    expect(prefs?.preload).toBe('/app/out/preload/index.cjs')
    expect(prefs?.preload).toMatch(/\.cjs$/)
  })

  it('keeps the flags on every platform and in development', () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      for (const devTools of [true, false]) {
        const prefs = createWindowOptions({ ...base, platform, devTools }).webPreferences
        expect(prefs).toMatchObject(SECURE_WEB_PREFERENCES)
        expect(prefs?.devTools).toBe(devTools)
      }
    }
  })

  it('disables DevTools in production', () => {
    expect(createWindowOptions(base).webPreferences?.devTools).toBe(false)
  })

  it('opens hidden (shown on ready-to-show) with a sane minimum size', () => {
    const options = createWindowOptions(base)
    expect(options.show).toBe(false)
    expect(options.minWidth).toBeGreaterThanOrEqual(800)
    expect(options.minHeight).toBeGreaterThanOrEqual(500)
  })

  it('sets a window icon only on Linux', () => {
    expect(createWindowOptions({ ...base, iconPath: '/i.png' }).icon).toBe('/i.png')
    expect(
      createWindowOptions({ ...base, platform: 'darwin', iconPath: '/i.png' }).icon,
    ).toBeUndefined()
  })
})
