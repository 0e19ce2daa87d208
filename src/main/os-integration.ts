import type { Database } from 'better-sqlite3'
import type { MenuItemConstructorOptions } from 'electron'
import { z } from 'zod'
import type { MenuCommand } from '../shared/contract'
import { TERMINAL_JOB_STATES, type JobDto, type JobKind } from '../shared/jobs'
import { PhotoRepository } from '../core/catalog/repositories/photo.repository'

/*
 * The desktop's native surface, as pure functions: the menu template, taskbar/dock progress and
 * end-of-job notifications. src/main/index.ts hands their results to Electron.
 */

/** What the menu items do (wired in index.ts). */
export interface MenuActions {
  /** Folder picker → an import job. */
  importFolder(): void
  openCatalog(): void
  newCatalog(): void
  useDefaultCatalog(): void
  showCatalogFolder(): void
  /** Sends a menuCommand event to the renderer. */
  command(command: MenuCommand): void
}

export interface MenuOptions {
  readonly platform: NodeJS.Platform
  readonly appName: string
  /** Adds reload and DevTools (development only). */
  readonly dev: boolean
  readonly actions: MenuActions
}

/** The application menu, with the shortcuts a Lightroom or digiKam user expects. */
export function buildMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const { actions, platform } = options
  const mac = platform === 'darwin'
  const send = (command: MenuCommand) => () => actions.command(command)
  const settings: MenuItemConstructorOptions = {
    label: mac ? 'Settings…' : 'Settings',
    accelerator: 'CmdOrCtrl+,',
    click: send('openSettings'),
  }

  const appMenu: MenuItemConstructorOptions[] = mac
    ? [
        {
          label: options.appName,
          submenu: [
            { role: 'about' },
            { type: 'separator' },
            settings,
            { type: 'separator' },
            { role: 'services' },
            { type: 'separator' },
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            { type: 'separator' },
            { role: 'quit' },
          ],
        },
      ]
    : []

  const file: MenuItemConstructorOptions = {
    label: mac ? 'File' : '&File',
    submenu: [
      { label: 'Import Folder…', accelerator: 'CmdOrCtrl+O', click: () => actions.importFolder() },
      { type: 'separator' },
      { label: 'Open Catalog…', click: () => actions.openCatalog() },
      { label: 'New Catalog…', click: () => actions.newCatalog() },
      { label: 'Use Default Catalog', click: () => actions.useDefaultCatalog() },
      { label: 'Show Catalog in Folder', click: () => actions.showCatalogFolder() },
      { type: 'separator' },
      ...(mac ? [] : [settings, { type: 'separator' } as const]),
      mac ? { role: 'close' } : { role: 'quit' },
    ],
  }

  // Undo, redo and select-all go to the renderer (photo decisions, grid selection); it applies
  // them to the text instead when a text field has focus. Cut/copy/paste stay native roles.
  const edit: MenuItemConstructorOptions = {
    label: mac ? 'Edit' : '&Edit',
    submenu: [
      { label: 'Undo', accelerator: 'CmdOrCtrl+Z', click: send('undo') },
      {
        label: 'Redo',
        accelerator: platform === 'win32' ? 'Ctrl+Y' : 'Shift+CmdOrCtrl+Z',
        click: send('redo'),
      },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { label: 'Select All', accelerator: 'CmdOrCtrl+A', click: send('selectAll') },
      { type: 'separator' },
      { label: 'Find', accelerator: 'CmdOrCtrl+F', click: send('find') },
    ],
  }

  const photo: MenuItemConstructorOptions = {
    label: mac ? 'Photo' : '&Photo',
    submenu: [
      {
        label: mac
          ? 'Reveal in Finder'
          : platform === 'win32'
            ? 'Show in Explorer'
            : 'Show in Folder',
        // VS Code's "reveal" shortcut; Ctrl+Alt is AltGr on many Windows/Linux layouts.
        accelerator: mac ? 'Alt+Cmd+R' : 'Shift+Alt+R',
        click: send('revealInFolder'),
      },
    ],
  }

  const view: MenuItemConstructorOptions = {
    label: mac ? 'View' : '&View',
    submenu: [
      ...(options.dev
        ? ([
            { role: 'reload' },
            { role: 'forceReload' },
            { role: 'toggleDevTools' },
            { type: 'separator' },
          ] as const)
        : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  }

  const windowMenu: MenuItemConstructorOptions = mac
    ? { role: 'windowMenu' }
    : { label: '&Window', submenu: [{ role: 'minimize' }, { role: 'close' }] }

  return [...appMenu, file, edit, photo, view, windowMenu]
}

/** Taskbar (Windows/Linux) or dock (macOS) progress: `win.setProgressBar(value, { mode })`. */
export interface TaskbarProgress {
  /** 0..1, or -1 to remove the bar. */
  readonly value: number
  readonly mode: 'none' | 'normal' | 'indeterminate' | 'paused'
}

/** One bar for all live jobs: items processed over items known, across running jobs. */
export function taskbarProgress(jobs: Iterable<JobDto>): TaskbarProgress {
  let running = 0
  let paused = 0
  let unknownTotal = false
  let processed = 0
  let total = 0
  for (const job of jobs) {
    if (job.state !== 'running' && job.state !== 'paused') continue
    if (job.state === 'running') running++
    else paused++
    if (job.total <= 0) {
      if (job.state === 'running') unknownTotal = true
      continue
    }
    processed += Math.min(job.total, job.done + job.failed + job.skipped)
    total += job.total
  }
  if (running === 0 && paused === 0) return { value: -1, mode: 'none' }
  if (running > 0 && (unknownTotal || total === 0)) return { value: 1, mode: 'indeterminate' }
  const value = total > 0 ? processed / total : 0
  return { value, mode: running > 0 ? 'normal' : 'paused' }
}

/** Notify only for jobs that kept the user waiting at least this long. */
export const NOTIFY_AFTER_MS = 30_000

const KIND_LABELS: { readonly [K in JobKind]: string } = {
  import: 'Import',
  analyze: 'Analysis',
  duplicates: 'Duplicate search',
  bursts: 'Burst detection',
  clip: 'Search indexing',
  geohash: 'Location repair',
  verify: 'Verification',
  'retry-failed': 'Retry of failed items',
  backup: 'Backup',
}

export interface Notice {
  readonly title: string
  readonly body: string
}

function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000)
  if (seconds < 90) return `${seconds} s`
  const minutes = Math.round(seconds / 60)
  if (minutes < 90) return `${minutes} min`
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`
}

/** The notification text of a job that ended. */
export function jobEndNotice(job: JobDto, durationMs: number): Notice {
  const label = KIND_LABELS[job.kind]
  const verb = job.state === 'completed' ? 'finished' : job.state
  const count = (n: number) => n.toLocaleString('en-US')
  const parts = [`${count(job.done)} done`]
  if (job.failed > 0) parts.push(`${count(job.failed)} failed`)
  if (job.skipped > 0) parts.push(`${count(job.skipped)} skipped`)
  parts.push(`in ${formatDuration(durationMs)}`)
  const error = job.state === 'failed' && job.error ? ` — ${job.error.slice(0, 200)}` : ''
  return { title: `${label} ${verb}`, body: `${parts.join(', ')}${error}` }
}

/**
 * Follows jobChanged events: the taskbar progress after each, and a notice when a job this
 * session watched running ends after more than NOTIFY_AFTER_MS. Interrupted jobs (app quitting)
 * and jobs that were already over when first seen give none.
 */
export class JobTracker {
  private readonly live = new Map<number, JobDto>()
  private readonly runningSince = new Map<number, number>()

  constructor(private readonly now: () => number = Date.now) {}

  update(job: JobDto): { readonly progress: TaskbarProgress; readonly notice: Notice | null } {
    let notice: Notice | null = null
    if (job.state === 'running' && !this.runningSince.has(job.id)) {
      this.runningSince.set(job.id, this.now())
    }
    const ended = TERMINAL_JOB_STATES.includes(job.state) || job.state === 'interrupted'
    if (ended) {
      const since = this.runningSince.get(job.id)
      if (since !== undefined && job.state !== 'interrupted') {
        const duration = this.now() - since
        if (duration > NOTIFY_AFTER_MS) notice = jobEndNotice(job, duration)
      }
      this.live.delete(job.id)
      this.runningSince.delete(job.id)
    } else {
      this.live.set(job.id, job)
    }
    return { progress: taskbarProgress(this.live.values()), notice }
  }
}

const RevealInput = z.object({ id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) })

/**
 * The file "Reveal in Folder" shows: looked up by catalog id, so the renderer can never make the
 * OS file manager open an arbitrary path.
 */
export function revealTarget(db: Database, input: unknown): string {
  const parsed = RevealInput.safeParse(input)
  if (!parsed.success) {
    throw Object.assign(new Error('revealInFolder needs { id: positive integer }'), {
      code: 'invalid_argument',
    })
  }
  const row = new PhotoRepository(db).get(parsed.data.id)
  if (!row) throw Object.assign(new Error(`no photo ${parsed.data.id}`), { code: 'not_found' })
  return row.path
}
