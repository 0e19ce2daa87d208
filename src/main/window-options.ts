import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron'

export interface WindowOptionsInput {
  /** Absolute path of the bundled CommonJS preload (out/preload/index.cjs). */
  readonly preloadPath: string
  readonly platform: NodeJS.Platform
  /** DevTools only while developing: a packaged app gives page script no inspector. */
  readonly devTools: boolean
  /** Window icon (Linux only; packaged macOS/Windows apps take the bundle's icon). */
  readonly iconPath?: string
}

/**
 * The security-relevant web preferences, fixed: nothing the caller passes can loosen them
 * (docs/security.md lists each against Electron's checklist).
 */
export const SECURE_WEB_PREFERENCES = {
  // The renderer is a web page: no Node, no require, not even in workers or sub-frames.
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  // The preload runs in its own JS world; the page cannot reach its globals or prototypes.
  contextIsolation: true,
  // Chromium's OS sandbox for the renderer (which is why the preload is bundled as CommonJS).
  sandbox: true,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  // Dropping a folder must start an import, never navigate the window to file://…
  navigateOnDragDrop: false,
  // Stops a misbehaving page from locking the UI with endless alert() loops.
  safeDialogs: true,
  // Local app: no spellcheck dictionaries downloaded from Google's servers.
  spellcheck: false,
} as const satisfies WebPreferences

/** BrowserWindow options of the main window. Pure: tested without Electron. */
export function createWindowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'VAM Desktop',
    // Shown on 'ready-to-show' so the user never sees an empty white frame.
    show: false,
    backgroundColor: '#1e1e1e',
    // Windows/Linux: keep the menu bar visible so its shortcuts are discoverable.
    autoHideMenuBar: false,
    // The taskbar/dock icon on Linux comes from the window (macOS/Windows use the bundle's).
    ...(input.platform === 'linux' && input.iconPath ? { icon: input.iconPath } : {}),
    webPreferences: {
      preload: input.preloadPath,
      devTools: input.devTools,
      ...SECURE_WEB_PREFERENCES,
    },
  }
}
