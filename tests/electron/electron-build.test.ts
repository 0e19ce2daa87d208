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
import { contentTypeFor } from '../../src/main/app-protocol'

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
