import path from 'node:path'
import type { MenuItemConstructorOptions } from 'electron'
import { afterEach, describe, expect, it } from 'vitest'
import { openCatalog, type Catalog } from '../../src/core/catalog/open-catalog'
import {
  JobTracker,
  NOTIFY_AFTER_MS,
  buildMenuTemplate,
  jobEndNotice,
  revealTarget,
  taskbarProgress,
  type MenuActions,
} from '../../src/main/os-integration'
import type { MenuCommand } from '../../src/shared/contract'
import type { JobDto } from '../../src/shared/jobs'
import { useTempDirs } from '../helpers/temp-dir'

const tempDir = useTempDirs()

function recordingActions() {
  const calls: string[] = []
  const actions: MenuActions = {
    importFolder: () => calls.push('importFolder'),
    openCatalog: () => calls.push('openCatalog'),
    newCatalog: () => calls.push('newCatalog'),
    useDefaultCatalog: () => calls.push('useDefaultCatalog'),
    showCatalogFolder: () => calls.push('showCatalogFolder'),
    command: (command: MenuCommand) => calls.push(`command:${command}`),
  }
  return { calls, actions }
}

/** Every item of a template, depth first. */
function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((item) => [
    item,
    ...(Array.isArray(item.submenu) ? items(item.submenu as MenuItemConstructorOptions[]) : []),
  ])
}

function menu(platform: NodeJS.Platform, dev = false) {
  const recorder = recordingActions()
  const template = buildMenuTemplate({
    platform,
    appName: 'VAM Desktop',
    dev,
    actions: recorder.actions,
  })
  const all = items(template)
  const byLabel = (label: string) => {
    const item = all.find((i) => i.label === label)
    if (!item) throw new Error(`no menu item ${label}`)
    return item
  }
  const click = (label: string) => (byLabel(label).click as unknown as (() => void) | undefined)?.()
  return { template, all, byLabel, click, calls: recorder.calls }
}

describe(buildMenuTemplate.name, () => {
  it.each(['darwin', 'win32', 'linux'] as const)('has the usual shortcuts on %s', (platform) => {
    const m = menu(platform)
    expect(m.byLabel('Import Folder…').accelerator).toBe('CmdOrCtrl+O')
    expect(m.byLabel('Undo').accelerator).toBe('CmdOrCtrl+Z')
    expect(m.byLabel('Find').accelerator).toBe('CmdOrCtrl+F')
    expect(m.byLabel('Select All').accelerator).toBe('CmdOrCtrl+A')
    const roles = m.all.map((i) => i.role).filter(Boolean)
    for (const role of [
      'cut',
      'copy',
      'paste',
      'zoomIn',
      'zoomOut',
      'resetZoom',
      'togglefullscreen',
    ]) {
      expect(roles).toContain(role)
    }
    expect(roles).toContain(platform === 'darwin' ? 'close' : 'quit')
  })

  it.each(['darwin', 'win32', 'linux'] as const)(
    'never binds one shortcut twice on %s',
    (platform) => {
      const accelerators = menu(platform, true)
        .all.map((i) => i.accelerator)
        .filter((a): a is string => typeof a === 'string')
      expect(new Set(accelerators).size).toBe(accelerators.length)
    },
  )

  it('routes items to their actions and renderer commands', () => {
    const m = menu('linux')
    for (const label of [
      'Import Folder…',
      'Undo',
      'Redo',
      'Select All',
      'Find',
      'Show in Folder',
      'Settings',
    ]) {
      m.click(label)
    }
    m.click('Open Catalog…')
    m.click('New Catalog…')
    m.click('Use Default Catalog')
    m.click('Show Catalog in Folder')
    expect(m.calls).toEqual([
      'importFolder',
      'command:undo',
      'command:redo',
      'command:selectAll',
      'command:find',
      'command:revealInFolder',
      'command:openSettings',
      'openCatalog',
      'newCatalog',
      'useDefaultCatalog',
      'showCatalogFolder',
    ])
  })

  it('follows platform conventions: app menu and Finder on macOS, Ctrl+Y redo on Windows', () => {
    const mac = menu('darwin')
    expect(mac.template[0]?.label).toBe('VAM Desktop')
    expect(mac.byLabel('Reveal in Finder').accelerator).toBe('Alt+Cmd+R')
    expect(mac.byLabel('Redo').accelerator).toBe('Shift+CmdOrCtrl+Z')
    const win = menu('win32')
    expect(win.byLabel('Show in Explorer').accelerator).toBe('Shift+Alt+R')
    expect(win.byLabel('Redo').accelerator).toBe('Ctrl+Y')
  })

  it('offers reload and DevTools only in development', () => {
    expect(menu('linux', false).all.map((i) => i.role)).not.toContain('toggleDevTools')
    expect(menu('linux', true).all.map((i) => i.role)).toContain('toggleDevTools')
  })
})

function job(overrides: Partial<JobDto>): JobDto {
  return {
    id: 1,
    kind: 'import',
    params: { kind: 'import', root: '/photos' },
    state: 'running',
    total: 100,
    done: 0,
    failed: 0,
    skipped: 0,
    rate: 0,
    etaSeconds: null,
    currentItem: null,
    error: null,
    dependsOn: [],
    createdAt: '2024-01-01T00:00:00Z',
    startedAt: '2024-01-01T00:00:00Z',
    finishedAt: null,
    ...overrides,
  }
}

describe(taskbarProgress.name, () => {
  it('is off without live jobs', () => {
    expect(taskbarProgress([])).toEqual({ value: -1, mode: 'none' })
    expect(taskbarProgress([job({ state: 'completed' })])).toEqual({ value: -1, mode: 'none' })
  })

  it('combines running jobs by items processed', () => {
    const progress = taskbarProgress([
      job({ id: 1, total: 100, done: 40, failed: 5, skipped: 5 }),
      job({ id: 2, total: 300, done: 50 }),
    ])
    expect(progress).toEqual({ value: 100 / 400, mode: 'normal' })
  })

  it('is indeterminate while a running job does not know its total yet', () => {
    expect(taskbarProgress([job({ total: 0 }), job({ id: 2, done: 5 })]).mode).toBe('indeterminate')
  })

  it('shows paused when only paused jobs remain', () => {
    expect(taskbarProgress([job({ state: 'paused', done: 25 })])).toEqual({
      value: 0.25,
      mode: 'paused',
    })
  })
})

describe(JobTracker.name, () => {
  it('notifies when a job it watched running ends after more than 30 s', () => {
    let now = 1_000_000
    const tracker = new JobTracker(() => now)
    expect(tracker.update(job({ done: 10 })).notice).toBeNull()
    now += NOTIFY_AFTER_MS + 1000
    const end = tracker.update(job({ state: 'completed', done: 98, failed: 2, finishedAt: 'x' }))
    expect(end.notice).toEqual({ title: 'Import finished', body: '98 done, 2 failed, in 31 s' })
    expect(end.progress).toEqual({ value: -1, mode: 'none' })
  })

  it('stays quiet for short jobs, interrupted jobs and jobs already over when first seen', () => {
    let now = 0
    const tracker = new JobTracker(() => now)
    tracker.update(job({ id: 1 }))
    now += 5000
    expect(tracker.update(job({ id: 1, state: 'completed' })).notice).toBeNull()
    tracker.update(job({ id: 2 }))
    now += 60_000
    expect(tracker.update(job({ id: 2, state: 'interrupted' })).notice).toBeNull()
    expect(tracker.update(job({ id: 3, state: 'failed' })).notice).toBeNull()
  })

  it('keeps the progress of the other live jobs', () => {
    const tracker = new JobTracker(() => 0)
    tracker.update(job({ id: 1, done: 50 }))
    const { progress } = tracker.update(job({ id: 2, kind: 'analyze', total: 100, done: 0 }))
    expect(progress).toEqual({ value: 0.25, mode: 'normal' })
  })
})

describe(jobEndNotice.name, () => {
  it('says what ended, how it went and how long it took', () => {
    expect(
      jobEndNotice(
        job({ kind: 'analyze', state: 'failed', done: 12_345, error: 'disk full' }),
        125 * 60_000,
      ),
    ).toEqual({ title: 'Analysis failed', body: '12,345 done, in 2 h 5 min — disk full' })
    expect(
      jobEndNotice(job({ kind: 'duplicates', state: 'cancelled', done: 3, skipped: 4 }), 300_000),
    ).toEqual({
      title: 'Duplicate search cancelled',
      body: '3 done, 4 skipped, in 5 min',
    })
  })
})

describe(revealTarget.name, () => {
  const catalogs: Catalog[] = []
  afterEach(() => {
    for (const catalog of catalogs.splice(0)) catalog.close()
  })

  it('resolves a catalog id to its path and refuses anything else', async () => {
    const catalog = await openCatalog(path.join(tempDir(), 'catalog.sqlite'))
    catalogs.push(catalog)
    catalog.db
      .prepare(
        `INSERT INTO photos (id, path, folder, name, size, mtime_ms, imported_at)
         VALUES (5, '/photos/a.jpg', '/photos', 'a.jpg', 1, 0, '2024-01-01')`,
      )
      .run()
    expect(revealTarget(catalog.db, { id: 5 })).toBe('/photos/a.jpg')
    expect(() => revealTarget(catalog.db, { id: 6 })).toThrow(
      expect.objectContaining({ code: 'not_found' }),
    )
    for (const bad of [
      { path: '/etc/passwd' },
      { id: '/etc/passwd' },
      { id: -1 },
      { id: 1.5 },
      null,
      '5',
    ]) {
      expect(() => revealTarget(catalog.db, bad)).toThrow(
        expect.objectContaining({ code: 'invalid_argument' }),
      )
    }
  })
})
