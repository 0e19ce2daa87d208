import { fork, spawnSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
} from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import vm from 'node:vm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contentTypeFor } from '../../src/core/media/content-types'

// `electron-vite build` needs no Electron binary: build all three bundles into a scratch dir and
// check the properties the app depends on at run time (a few seconds on our machines). The dir is
// inside the repository (under out/, ignored by git, ESLint and Prettier) so the built ESM finds
// package.json's "type": "module" and node_modules, as the packaged app does.

let root = ''
let out = ''
let buildLog = ''

beforeAll(() => {
  mkdirSync(path.resolve('out'), { recursive: true })
  root = mkdtempSync(path.resolve('out', '.build-test-'))
  out = path.join(root, 'out')
  const run = spawnSync(
    process.execPath,
    [
      path.resolve('node_modules/electron-vite/bin/electron-vite.js'),
      'build',
      '--outDir',
      out,
      '--logLevel',
      'warn',
    ],
    { encoding: 'utf8', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } },
  )
  buildLog = `${run.stdout}\n${run.stderr}`
  if (run.status !== 0) throw new Error(`electron-vite build failed:\n${buildLog}`)
}, 120_000)

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true })
})

const read = (file: string) => readFileSync(path.join(out, file), 'utf8')

describe('electron-vite build', () => {
  it('emits the sandbox-safe preload: one CommonJS file that requires only electron, no zod', () => {
    const preload = read('preload/index.cjs')
    const requires = [...preload.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1])
    expect(requires).toEqual(['electron'])
    expect(preload).not.toMatch(/^\s*(import|export)\s/m)
    expect(preload).toContain('exposeInMainWorld')
    expect(preload).not.toMatch(/zod|ZodError/)
    expect(statSync(path.join(out, 'preload/index.cjs')).size).toBeLessThan(20_000)
    expect(readdirSync(path.join(out, 'preload'))).toEqual(['index.cjs'])
  })

  it('runs the built preload where only require("electron") exists (as in the sandbox)', async () => {
    const exposed: Record<string, Record<string, unknown>> = {}
    const invoked: [string, unknown][] = []
    let eventListener: ((event: unknown, message: unknown) => void) | undefined
    const electron = {
      contextBridge: {
        exposeInMainWorld: (key: string, value: Record<string, unknown>) => (exposed[key] = value),
      },
      ipcRenderer: {
        invoke: async (channel: string, input: unknown) => {
          invoked.push([channel, input])
          return { ok: true, result: 42 }
        },
        on: (channel: string, listener: (event: unknown, message: unknown) => void) => {
          if (channel === 'vam:event') eventListener = listener
        },
      },
      webUtils: { getPathForFile: () => '/home/me/Pictures' },
    }
    const sandboxRequire = (id: string) => {
      if (id !== 'electron') throw new Error(`module not found: ${id} (sandboxed preload)`)
      return electron
    }
    const module = { exports: {} }
    vm.runInNewContext(read('preload/index.cjs'), {
      require: sandboxRequire,
      module,
      exports: module.exports,
      process: { platform: 'linux' },
      queueMicrotask,
    })
    expect(Object.keys(exposed).sort()).toEqual(['vam', 'vamHost'])
    const vam = exposed.vam as {
      photos: { page(input: unknown): Promise<unknown> }
      on(event: string, listener: (payload: unknown) => void): () => void
    }
    expect(await vam.photos.page({ offset: 0, limit: 1 })).toBe(42)
    expect(invoked).toEqual([['photos.page', { offset: 0, limit: 1 }]])
    const seen: unknown[] = []
    vam.on('menuCommand', (payload: unknown) => seen.push(payload))
    eventListener?.({}, { event: 'menuCommand', payload: { command: 'find' } })
    expect(seen).toEqual([{ command: 'find' }])
    expect(exposed.vamHost?.platform).toBe('linux')
  })

  it('emits main as ESM with native modules left external', () => {
    const main = read('main/index.js')
    expect(main).toMatch(/from ["']electron["']/)
    expect(main).toMatch(/from ["']better-sqlite3["']/)
    // Bundled native code would crash at load: only the import specifier may appear.
    expect(main).not.toMatch(/prebuild-install|node-gyp-build|bindings\(/)
    expect(main).toContain('../preload/index.cjs')
  })

  it('emits the utility-process worker and points main at it', () => {
    const chunks = readdirSync(path.join(out, 'main', 'chunks'))
    const worker = chunks.find((f) => /^utility-worker.*\.js$/.test(f))
    expect(worker).toBeDefined()
    expect(read('main/index.js')).toContain(`./chunks/${worker}`)
    const source = read(`main/chunks/${worker}`)
    expect(source).toContain('parentPort')
    expect(source).not.toMatch(/from ["']electron["']/)
    expect(source).not.toMatch(/from ["']better-sqlite3["']/)
  })

  it('boots the built utility-process worker and runs a task in it', async () => {
    const worker = readdirSync(path.join(out, 'main', 'chunks')).find((f) =>
      f.startsWith('utility-worker'),
    )
    expect(worker).toBeDefined()
    const shim = fileURLToPath(new URL('./fixtures/parent-port-shim.mjs', import.meta.url))
    const child = fork(path.join(out, 'main', 'chunks', worker ?? ''), [], {
      execArgv: ['--import', shim],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    try {
      const reply = await new Promise<unknown>((resolve, reject) => {
        child.on('message', (message: { seq?: number }) => {
          if (message.seq === 1) resolve(message)
        })
        child.on('exit', (code) => reject(new Error(`worker exited with ${code}`)))
        child.send({ seq: 1, task: 'ping', input: { echo: 'built' } })
      })
      expect(reply).toMatchObject({ seq: 1, ok: true, output: { echo: 'built', pid: child.pid } })
    } finally {
      child.kill()
    }
  })

  it('emits the renderer with relative asset paths (served from vam-app://renderer/)', () => {
    const html = read('renderer/index.html')
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '')
    const assets = sources.filter((s) => !s.startsWith('data:'))
    expect(assets.length).toBeGreaterThan(0)
    for (const src of assets) {
      expect(src.startsWith('./'), src).toBe(true)
      expect(existsSync(path.join(out, 'renderer', src)), src).toBe(true)
    }
    expect(html).not.toMatch(/https?:\/\//)
  })

  it('emits only renderer files the vam-app:// protocol knows how to serve', () => {
    const files = readdirSync(path.join(out, 'renderer'), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name)
    expect(files.length).toBeGreaterThan(1)
    for (const file of files) expect(contentTypeFor(file), file).not.toBeNull()
  })
})

interface Reported {
  readonly type: string
  readonly [key: string]: unknown
}

/**
 * The built main process under Node, with `electron` resolved to the recording fake
 * (fixtures/fake-electron.mjs): everything real but Electron itself.
 */
function launchMain(scratch: string, catalog: string) {
  const loader = fileURLToPath(new URL('./fixtures/fake-electron-loader.mjs', import.meta.url))
  const child = fork(
    path.join(out, 'main', 'index.js'),
    [
      `--catalog=${catalog}`,
      `--fake-home=${scratch}`,
      `--user-data-dir=${path.join(scratch, 'ud')}`,
    ],
    { execArgv: ['--import', loader], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  )
  const reported: Reported[] = []
  const waiters: { test: (m: Reported) => boolean; resolve: (m: Reported) => void }[] = []
  child.on('message', (message: Reported) => {
    reported.push(message)
    for (const waiter of [...waiters]) {
      if (waiter.test(message)) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(message)
      }
    }
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const waitFor = (test: (m: Reported) => boolean, what: string, ms = 30_000) => {
    const seen = reported.find(test)
    if (seen) return Promise.resolve(seen)
    return new Promise<Reported>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms)
      waiters.push({
        test,
        resolve: (m) => {
          clearTimeout(timer)
          resolve(m)
        },
      })
    })
  }
  let nextId = 0
  const call = async <T = unknown>(cmd: Record<string, unknown>): Promise<T> => {
    const id = ++nextId
    const reply = waitFor((m) => m.type === 'reply' && m.id === id, `reply to ${String(cmd.cmd)}`)
    child.send({ ...cmd, id })
    const message = await reply
    if (message.error) throw new Error(String(message.error))
    return message.result as T
  }
  return { child, reported, waitFor, call, exited }
}

describe('the built main process (Electron faked, everything else real)', () => {
  const trusted = 'vam-app://renderer/index.html'

  it('wires security, protocols, IPC, workers, events, menu and a graceful quit', async () => {
    const scratch = mkdtempSync(path.resolve('out', '.main-test-'))
    const catalog = path.join(scratch, 'catalog.sqlite')
    const main = launchMain(scratch, catalog)
    try {
      const load = await main.waitFor((m) => m.type === 'BrowserWindow.loadURL', 'the window')

      // Before ready: sandbox for all renderers and both privileged schemes.
      const order = main.reported.map((m) => m.type)
      expect(order.indexOf('app.enableSandbox')).toBeLessThan(order.indexOf('app.whenReady'))
      expect(order.indexOf('protocol.registerSchemesAsPrivileged')).toBeLessThan(
        order.indexOf('app.whenReady'),
      )
      const schemes = main.reported.find((m) => m.type === 'protocol.registerSchemesAsPrivileged')
      expect((schemes?.schemes as { scheme: string }[]).map((s) => s.scheme).sort()).toEqual([
        'vam-app',
        'vam-media',
      ])
      expect(main.reported.find((m) => m.type === 'app.setPath')).toMatchObject({
        key: 'userData',
        value: path.join(scratch, 'ud'),
      })

      // The hardened window on the packaged renderer, with the built CJS preload.
      expect(load.url).toBe('vam-app://renderer/index.html')
      const win = main.reported.find((m) => m.type === 'BrowserWindow') as unknown as {
        options: { webPreferences: Record<string, unknown> }
      }
      expect(win.options.webPreferences).toMatchObject({
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        devTools: false,
      })
      expect(existsSync(String(win.options.webPreferences.preload))).toBe(true)
      await main.waitFor((m) => m.type === 'BrowserWindow.show', 'show on ready-to-show')

      // IPC: every contract method registered; sender checked; arguments validated.
      const channels = await main.call<string[]>({ cmd: 'channels' })
      expect(channels).toContain('photos.page')
      expect(channels).toContain('vamHost.revealInFolder')
      expect(channels).toContain('vamHost.pickFolder')
      const info = await main.call<{ ok: boolean; result: { catalogPath: string } }>({
        cmd: 'invoke',
        channel: 'catalog.info',
        input: {},
        senderUrl: trusted,
      })
      expect(info).toMatchObject({ ok: true, result: { catalogPath: catalog } })
      expect(
        await main.call({
          cmd: 'invoke',
          channel: 'catalog.info',
          input: {},
          senderUrl: 'https://evil.example/',
        }),
      ).toMatchObject({ ok: false, error: { code: 'forbidden' } })
      expect(
        await main.call({
          cmd: 'invoke',
          channel: 'photos.page',
          input: { offset: -1 },
          senderUrl: trusted,
        }),
      ).toMatchObject({ ok: false, error: { code: 'invalid_argument' } })

      // Protocols: the renderer with its CSP; media by id only.
      const html = await main.call<{ status: number; headers: Record<string, string> }>({
        cmd: 'request',
        scheme: 'vam-app',
        url: 'vam-app://renderer/index.html',
      })
      expect(html.status).toBe(200)
      expect(html.headers['content-security-policy']).toContain("script-src 'self'")
      expect(
        (
          await main.call<{ status: number }>({
            cmd: 'request',
            scheme: 'vam-media',
            url: 'vam-media://original/../../etc/passwd',
          })
        ).status,
      ).toBe(400)

      // Navigation, new windows, permissions.
      expect(await main.call({ cmd: 'navigate', url: 'https://example.com/' })).toEqual({
        prevented: true,
      })
      expect(await main.call({ cmd: 'windowOpen', url: 'https://example.com/x' })).toEqual({
        action: 'deny',
      })
      await main.waitFor(
        (m) => m.type === 'shell.openExternal' && m.url === 'https://example.com/x',
        'openExternal',
      )
      expect(await main.call({ cmd: 'permission', permission: 'media', url: trusted })).toBe(false)

      // An import runs in "utility processes" (the built worker), events reach the window,
      // the taskbar shows progress and clears it, media then serves the real photos.
      const photos = path.resolve('tests/fixtures/photos')
      const started = await main.call<{ ok: boolean; result: { id: number } }>({
        cmd: 'invoke',
        channel: 'jobs.start',
        input: { params: { kind: 'import', root: photos } },
        senderUrl: trusted,
      })
      expect(started.ok).toBe(true)
      const completed = await main.waitFor(
        (m) =>
          m.type === 'webContents.send' &&
          JSON.stringify(m.message).includes('"state":"completed"') &&
          JSON.stringify(m.message).includes('"event":"jobChanged"'),
        'jobChanged completed',
        60_000,
      )
      // The tracker hears the same event right after the window does: the bar is cleared.
      await main.waitFor(
        (m) =>
          m.type === 'BrowserWindow.setProgressBar' &&
          m.mode === 'none' &&
          main.reported.indexOf(m) > main.reported.indexOf(completed),
        'progress bar cleared',
      )
      const forks = main.reported.filter((m) => m.type === 'utilityProcess.fork')
      expect(forks.length).toBeGreaterThan(0)
      expect(String(forks[0]?.modulePath)).toMatch(/chunks[\\/]utility-worker-.*\.js$/)
      expect(forks[0]?.serviceName).toBe('VAM worker 1')
      const bars = main.reported.filter((m) => m.type === 'BrowserWindow.setProgressBar')
      expect(bars.some((m) => m.mode === 'normal' || m.mode === 'indeterminate')).toBe(true)
      const page = await main.call<{ result: { items: { id: number }[] } }>({
        cmd: 'invoke',
        channel: 'photos.page',
        input: { offset: 0, limit: 50 },
        senderUrl: trusted,
      })
      const first = page.result.items[0]
      expect(first).toBeDefined()
      const original = await main.call<{
        status: number
        headers: Record<string, string>
        bytes: number
      }>({
        cmd: 'request',
        scheme: 'vam-media',
        url: `vam-media://original/${first?.id}`,
      })
      expect(original.status).toBe(200)
      expect(original.headers['content-type']).toMatch(/^image\//)
      expect(original.bytes).toBeGreaterThan(1000)

      // Reveal in folder: by id, through the host channel, to the OS file manager.
      expect(
        await main.call({
          cmd: 'invoke',
          channel: 'vamHost.revealInFolder',
          input: { id: first?.id },
          senderUrl: trusted,
        }),
      ).toMatchObject({ ok: true })
      const revealed = await main.waitFor((m) => m.type === 'shell.showItemInFolder', 'reveal')
      expect(String(revealed.file).startsWith(photos)).toBe(true)
      expect(
        await main.call({
          cmd: 'invoke',
          channel: 'vamHost.revealInFolder',
          input: { path: '/etc/passwd' },
          senderUrl: trusted,
        }),
      ).toMatchObject({ ok: false, error: { code: 'invalid_argument' } })

      // The menu sends commands to the renderer over the event channel.
      const menu = await main.call<{ label: string; accelerator: string | null }[]>({ cmd: 'menu' })
      expect(menu).toContainEqual({ label: 'Import Folder…', accelerator: 'CmdOrCtrl+O' })
      await main.call({ cmd: 'click', label: 'Find' })
      await main.waitFor(
        (m) =>
          m.type === 'webContents.send' &&
          JSON.stringify(m.message) ===
            JSON.stringify({ event: 'menuCommand', payload: { command: 'find' } }),
        'menuCommand find',
      )

      // Quit: before-quit is held until the engine has closed, then the app exits cleanly.
      await main.call({ cmd: 'quit' })
      expect(await main.exited).toBe(0)
      const quits = main.reported.filter((m) => m.type === 'app.quit')
      expect(quits[0]).toMatchObject({ prevented: true })
      expect(quits.at(-1)).toMatchObject({ prevented: false })
      const wal = `${catalog}-wal`
      expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true)
    } finally {
      if (main.child.exitCode === null) main.child.kill('SIGKILL')
      rmSync(scratch, { recursive: true, force: true })
    }
  }, 120_000)
})
