import path from 'node:path'
import {
  BrowserWindow,
  Menu,
  Notification,
  app,
  dialog,
  ipcMain,
  protocol,
  session,
  shell,
  utilityProcess,
} from 'electron'
import workerModulePath from '../workers/utility-worker?modulePath'
import type { MenuCommand } from '../shared/contract'
import { EVENT_CHANNEL, HOST_CHANNELS } from '../shared/contract/transport'
import { openEngine, type Engine } from '../core/engine'
import { setSqliteNativeBinding } from '../core/catalog/sqlite'
import {
  catalogMediaSource,
  type MediaSource,
  type ThumbnailLookup,
} from '../core/media/media-lookup'
import { thumbnailFileFor } from '../core/media/thumbnail-files'
import { createVamService } from '../core/service'
import { APP_ENTRY_URL, APP_ORIGIN, APP_SCHEME_PRIVILEGES, handleAppProtocol } from './app-protocol'
import { readCatalogChoice, resolveCatalogFile, writeCatalogChoice } from './catalog-choice'
import { forwardEvents, handleIpcCall, registerHostCall, registerIpcBridge } from './ipc-bridge'
import { MEDIA_SCHEME_PRIVILEGES, handleMediaProtocol } from './media-protocol'
import { JobTracker, buildMenuTemplate, revealTarget, type MenuActions } from './os-integration'
import { buildCsp, installSecurity, originOf } from './security'
import { utilitySpawnWorker } from './utility-spawn'
import { createWindowOptions } from './window-options'
import { electronSqliteBinding } from './sqlite-binding'

// The Electron main process only wires tested pieces together: every decision lives in the
// modules imported above, which take Electron's objects as arguments.

const APP_NAME = 'VAM Desktop'
const CATALOG_FILTERS = [{ name: 'VAM catalog', extensions: ['sqlite', 'sqlite3', 'db', 'vam'] }]
/** How long quitting waits for running jobs to reach a checkpoint before closing anyway. */
const SHUTDOWN_TIMEOUT_MS = 15_000

const log = (message: string) => console.log(`[vam main] ${message}`)

// The dev server URL is honoured only in an unpackaged build: a packaged app always loads its own
// files, whatever the environment says.
const devServerUrl = !app.isPackaged ? (process.env.ELECTRON_RENDERER_URL ?? null) : null
const devServerOrigin = devServerUrl ? originOf(devServerUrl) : null
const trustedOrigins = devServerOrigin ? [devServerOrigin] : [APP_ORIGIN]

// Same folder as the CLI's default catalog (src/cli/catalog-location.ts), also in development,
// where the app would otherwise be named after package.json ("vam-desktop"). Chromium's
// --user-data-dir wins (tests and a second profile run isolated from the user's catalog).
app.setName(APP_NAME)
app.setPath(
  'userData',
  app.commandLine.getSwitchValue('user-data-dir') || path.join(app.getPath('appData'), APP_NAME),
)

let engine: Engine | null = null
let mainWindow: BrowserWindow | null = null
let catalogFile = ''
let shutdown: 'running' | 'closing' | 'closed' = 'running'
const disposers: (() => void)[] = []

if (!app.requestSingleInstanceLock()) {
  // A second launch hands over to the first (one process owns the catalog) and exits.
  app.quit()
} else {
  app.enableSandbox()
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES, MEDIA_SCHEME_PRIVILEGES])
  app.on('second-instance', () => focusWindow())
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('activate', () => {
    if (engine && BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow()
  })
  app.on('before-quit', (event) => {
    if (shutdown === 'closed' || !engine) return
    event.preventDefault()
    if (shutdown === 'closing') return
    shutdown = 'closing'
    void closeEngine().finally(() => {
      shutdown = 'closed'
      app.quit()
    })
  })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit())
  app.whenReady().then(start, (error: unknown) => fatal('Electron failed to start', error))
}

async function start(): Promise<void> {
  const userData = app.getPath('userData')
  const chosen = resolveCatalogFile({
    argv: process.argv,
    env: process.env,
    userData,
    chosen: readCatalogChoice(userData),
    cwd: process.cwd(),
  })
  catalogFile = chosen.file
  log(`catalog ${catalogFile} (${chosen.source})`)
  setSqliteNativeBinding(
    electronSqliteBinding({
      isPackaged: app.isPackaged,
      appPath: app.getAppPath(),
      electronVersion: process.versions.electron ?? '',
      platform: process.platform,
      arch: process.arch,
      env: process.env,
    }),
  )
  try {
    engine = await openEngine(catalogFile, {
      spawnWorker: utilitySpawnWorker(
        (modulePath, args, options) => utilityProcess.fork(modulePath, args, options),
        workerModulePath,
        log,
      ),
      // Removals go to the OS trash (restorable by the user), not the quarantine folder.
      trashItem: (file) => shell.trashItem(file),
      log,
    })
  } catch (error) {
    await catalogOpenFailed(error)
    return
  }
  const opened = engine
  const impl = createVamService(opened)
  const csp = () => buildCsp({ mapTileUrl: opened.settings.getAll().mapTileUrl, devServerOrigin })

  installSecurity({ app, session: session.defaultSession, shell, trustedOrigins, csp, log })
  handleAppProtocol(protocol, path.join(import.meta.dirname, '../renderer'), csp)
  const media: MediaSource = catalogMediaSource(opened.catalog, thumbnailLookup(opened), () => {
    const dir = opened.settings.getAll().thumbnailDir
    return dir ? [dir] : []
  })
  handleMediaProtocol(protocol, () => (shutdown === 'running' ? media : null))

  const bridge = { ipcMain, trustedOrigins, log }
  disposers.push(registerIpcBridge({ ...bridge, impl }))
  disposers.push(
    registerHostCall(bridge, HOST_CHANNELS.revealInFolder, (input) =>
      shell.showItemInFolder(revealTarget(opened.catalog.db, input)),
    ),
  )
  disposers.push(
    registerHostCall(bridge, HOST_CHANNELS.pickFolder, (input) =>
      pickFolder(
        typeof (input as { title?: unknown })?.title === 'string'
          ? (input as { title: string }).title
          : 'Choose a folder',
      ),
    ),
  )
  disposers.push(
    forwardEvents(opened.events, (message) => {
      if (mainWindow && !mainWindow.isDestroyed())
        mainWindow.webContents.send(EVENT_CHANNEL, message)
    }),
  )

  const tracker = new JobTracker()
  disposers.push(
    opened.events.on('jobChanged', (job) => {
      const { progress, notice } = tracker.update(job)
      if (mainWindow && !mainWindow.isDestroyed()) {
        mainWindow.setProgressBar(progress.value, { mode: progress.mode })
      }
      if (notice && Notification.isSupported()) new Notification(notice).show()
    }),
  )

  const sendCommand = (command: MenuCommand) => opened.events.emit('menuCommand', { command })
  const actions: MenuActions = {
    importFolder: () =>
      void importFolder((root) =>
        handleIpcCall(impl, 'jobs', 'start', { params: { kind: 'import', root } }),
      ),
    openCatalog: () => void chooseCatalog('open'),
    newCatalog: () => void chooseCatalog('new'),
    useDefaultCatalog: () => switchCatalog(null),
    showCatalogFolder: () => shell.showItemInFolder(catalogFile),
    command: sendCommand,
  }
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildMenuTemplate({
        platform: process.platform,
        appName: APP_NAME,
        dev: devServerUrl !== null,
        actions,
      }),
    ),
  )
  mainWindow = createWindow()
}

/** Analyze's cached-thumbnail lookup (current version, file present), bound to the catalog. */
function thumbnailLookup(opened: Engine): ThumbnailLookup {
  return (id, size) => thumbnailFileFor(opened.catalog.db, opened.catalog.paths, id, size)
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow(
    createWindowOptions({
      preloadPath: path.join(import.meta.dirname, '../preload/index.cjs'),
      platform: process.platform,
      devTools: devServerUrl !== null,
    }),
  )
  win.once('ready-to-show', () => win.show())
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null
  })
  win
    .loadURL(devServerUrl ?? APP_ENTRY_URL)
    .catch((error: unknown) => log(`load failed: ${String(error)}`))
  return win
}

function focusWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) return
  if (mainWindow.isMinimized()) mainWindow.restore()
  mainWindow.focus()
}

/** The OS folder picker, attached to the window when there is one. */
async function pickFolder(title: string): Promise<string | null> {
  const options = { title: title.slice(0, 200), properties: ['openDirectory' as const] }
  const picked = mainWindow
    ? await dialog.showOpenDialog(mainWindow, options)
    : await dialog.showOpenDialog(options)
  const root = picked.filePaths[0]
  return picked.canceled || !root ? null : root
}

async function importFolder(
  startImport: (root: string) => Promise<{ ok: boolean; error?: { message: string } }>,
): Promise<void> {
  const root = await pickFolder('Import Folder')
  if (!root) return
  const reply = await startImport(root)
  if (!reply.ok)
    dialog.showErrorBox('Import could not start', reply.error?.message ?? 'unknown error')
}

async function chooseCatalog(mode: 'open' | 'new'): Promise<void> {
  let file: string | undefined
  if (mode === 'open') {
    const picked = await dialog.showOpenDialog({
      title: 'Open Catalog',
      properties: ['openFile'],
      filters: CATALOG_FILTERS,
    })
    file = picked.canceled ? undefined : picked.filePaths[0]
  } else {
    const picked = await dialog.showSaveDialog({
      title: 'New Catalog',
      defaultPath: path.join(app.getPath('documents'), 'Photos.sqlite'),
      filters: CATALOG_FILTERS,
    })
    file = picked.canceled ? undefined : picked.filePath
  }
  if (file) switchCatalog(file)
}

/** Remembers the choice and restarts: the catalog is opened once per process, at start. */
function switchCatalog(file: string | null): void {
  writeCatalogChoice(app.getPath('userData'), file)
  app.relaunch()
  app.quit()
}

async function closeEngine(): Promise<void> {
  for (const dispose of disposers.splice(0)) dispose()
  const closing = engine
  engine = null
  if (!closing) return
  // Running jobs stop at their next checkpoint and become `interrupted` (resumable); the WAL is
  // checkpointed into the catalog file. A job stuck in a native call does not hold quitting hostage.
  let timer: NodeJS.Timeout | undefined
  await Promise.race([
    closing.close().catch((error: unknown) => log(`close failed: ${String(error)}`)),
    new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        log('jobs did not stop in time; quitting anyway (they resume as interrupted)')
        resolve()
      }, SHUTDOWN_TIMEOUT_MS)
    }),
  ])
  clearTimeout(timer)
}

async function catalogOpenFailed(error: unknown): Promise<void> {
  log(`cannot open catalog: ${String(error)}`)
  const { response } = await dialog.showMessageBox({
    type: 'error',
    title: APP_NAME,
    message: `The catalog could not be opened:\n${catalogFile}`,
    detail: error instanceof Error ? error.message : String(error),
    buttons: ['Open Another Catalog…', 'Use Default Catalog', 'Quit'],
    defaultId: 0,
    cancelId: 2,
  })
  if (response === 0) await chooseCatalog('open')
  else if (response === 1) switchCatalog(null)
  app.quit()
}

function fatal(message: string, error: unknown): void {
  log(`${message}: ${String(error)}`)
  dialog.showErrorBox(APP_NAME, `${message}\n${String(error)}`)
  app.exit(1)
}
