import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openEngine, type Engine } from '../../src/core/engine'
import { createVamService } from '../../src/core/service'
import { APP_ORIGIN } from '../../src/main/app-protocol'
import { forwardEvents, registerHostCall, registerIpcBridge } from '../../src/main/ipc-bridge'
import {
  buildVamClient,
  buildVamHost,
  unwrapResult,
  type PreloadTransport,
} from '../../src/preload/vam-client'
import { contract, listMethods } from '../../src/shared/contract'
import {
  EVENT_NAMES,
  HOST_CHANNELS,
  METHOD_NAMES,
  parseRemoteError,
  remoteErrorMessage,
} from '../../src/shared/contract/transport'
import type { JobDto } from '../../src/shared/jobs'
import { useTempDirs } from '../helpers/temp-dir'

const tempDir = useTempDirs()
const engines: Engine[] = []
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close()
})

/**
 * The preload's client wired to the real main-process bridge over an in-memory "IPC": what the
 * renderer gets in Electron, minus Electron. Messages are structured-cloned as IPC would.
 */
async function wiredClient() {
  const engine = await openEngine(path.join(tempDir(), 'catalog.sqlite'), { workerCount: 1 })
  engines.push(engine)
  const handlers = new Map<string, (event: unknown, input: unknown) => unknown>()
  const ipcMain = {
    handle: (channel: string, fn: (event: unknown, input: unknown) => unknown) =>
      void handlers.set(channel, fn),
    removeHandler: (channel: string) => void handlers.delete(channel),
  }
  const options = { ipcMain: ipcMain as never, trustedOrigins: [APP_ORIGIN] }
  registerIpcBridge({ ...options, impl: createVamService(engine) })
  registerHostCall(options, HOST_CHANNELS.revealInFolder, () => undefined)
  let deliver: (message: unknown) => void = () => undefined
  forwardEvents(engine.events, (message) => deliver(structuredClone(message)))
  const sender = { senderFrame: { url: `${APP_ORIGIN}/index.html`, parent: null } }
  const transport: PreloadTransport = {
    invoke: async (channel, input) => {
      const handler = handlers.get(channel)
      if (!handler) throw new Error(`No handler registered for '${channel}'`)
      return structuredClone(await handler(sender, structuredClone(input)))
    },
    subscribe: (listener) => {
      deliver = listener
    },
  }
  return { engine, client: buildVamClient(transport), transport }
}

describe('transport names', () => {
  it('METHOD_NAMES lists exactly the contract methods (the preload cannot import the schemas)', () => {
    const fromNames = Object.entries(METHOD_NAMES).flatMap(([s, ms]) => ms.map((m) => `${s}.${m}`))
    expect(fromNames.sort()).toEqual(
      listMethods()
        .map((m) => `${m.service}.${m.method}`)
        .sort(),
    )
    expect(Object.keys(METHOD_NAMES).sort()).toEqual(Object.keys(contract).sort())
  })

  it('EVENT_NAMES has no duplicates and includes the menu command', () => {
    expect(new Set(EVENT_NAMES).size).toBe(EVENT_NAMES.length)
    expect(EVENT_NAMES).toContain('menuCommand')
  })

  it('the preload imports nothing that would pull the zod schemas in', () => {
    const sources = [
      'src/preload/index.ts',
      'src/preload/vam-client.ts',
      'src/shared/contract/transport.ts',
    ]
    for (const file of sources) {
      const text = readFileSync(path.resolve(file), 'utf8')
      const runtimeImports = [...text.matchAll(/^import (?!type )[^'"]*from '([^']+)'/gm)].map(
        (m) => m[1],
      )
      for (const spec of runtimeImports) {
        expect(
          ['electron', '../shared/contract/transport', './vam-client'],
          `${file}: ${spec}`,
        ).toContain(spec)
      }
    }
  })
})

describe(buildVamClient.name, () => {
  it('calls the real engine through the bridge', async () => {
    const { client } = await wiredClient()
    expect(await client.photos.page({ offset: 0, limit: 10 })).toEqual({
      total: 0,
      offset: 0,
      items: [],
    })
    expect(await client.photos.folders({})).toEqual([])
    const info = await client.catalog.info({})
    expect(info.photoCount).toBe(0)
  })

  it('throws typed errors the renderer can read back', async () => {
    const { client } = await wiredClient()
    const error = await client.photos.page({ offset: -5, limit: 10 }).then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(Error)
    expect(parseRemoteError(error)).toMatchObject({ code: 'invalid_argument' })
    expect((error as Error).message).toMatch(
      /^\[invalid_argument\] invalid argument for photos\.page/,
    )
  })

  it('has every contract method and nothing else but on()', async () => {
    const { client } = await wiredClient()
    for (const { service, method } of listMethods()) {
      expect(
        typeof (client as unknown as Record<string, Record<string, unknown>>)[service]?.[method],
      ).toBe('function')
    }
    expect(Object.keys(client).sort()).toEqual([...Object.keys(contract), 'on'].sort())
  })

  it('delivers engine events to subscribers until they unsubscribe', async () => {
    const { engine, client } = await wiredClient()
    const seen: string[] = []
    const off = client.on('catalogChanged', ({ reason }) => seen.push(reason))
    client.on('jobChanged', (job) => seen.push(`job ${job.id}`))
    engine.events.emit('catalogChanged', { reason: 'import' })
    engine.events.emit('jobChanged', { id: 7 } as JobDto)
    off()
    engine.events.emit('catalogChanged', { reason: 'after' })
    expect(seen).toEqual(['import', 'job 7'])
  })

  it('isolates a throwing listener and ignores malformed or unknown messages', async () => {
    let deliver: (m: unknown) => void = () => undefined
    const client = buildVamClient({
      invoke: async () => ({ ok: true, result: null }),
      subscribe: (l) => {
        deliver = l
      },
    })
    const seen: unknown[] = []
    client.on('menuCommand', () => {
      throw new Error('listener bug')
    })
    client.on('menuCommand', (p) => seen.push(p))
    const uncaught: unknown[] = []
    const onError = (e: unknown) => uncaught.push(e)
    process.on('uncaughtException', onError)
    try {
      deliver({ event: 'menuCommand', payload: { command: 'find' } })
      for (const junk of [null, 42, 'x', {}, { event: 'evil' }, { event: '__proto__', payload: 1 }])
        deliver(junk)
      await new Promise((r) => setTimeout(r, 10))
    } finally {
      process.off('uncaughtException', onError)
    }
    expect(seen).toEqual([{ command: 'find' }])
    expect(() => client.on('evil' as never, () => undefined)).toThrow(/unknown event/)
  })
})

describe(unwrapResult.name, () => {
  it('returns results, throws coded errors, and refuses malformed replies', () => {
    expect(unwrapResult({ ok: true, result: 5 })).toBe(5)
    expect(() =>
      unwrapResult({ ok: false, error: { code: 'not_found', message: 'gone' } }),
    ).toThrow('[not_found] gone')
    for (const junk of [undefined, null, 'x', {}, { ok: false }, { ok: false, error: 'x' }]) {
      expect(() => unwrapResult(junk)).toThrow(/^\[internal\]/)
    }
  })
})

describe(parseRemoteError.name, () => {
  it('round-trips code and message, and degrades to internal', () => {
    const error = new Error(
      remoteErrorMessage({ code: 'invalid_argument', message: 'bad [x]\nline' }),
    )
    expect(parseRemoteError(error)).toEqual({ code: 'invalid_argument', message: 'bad [x]\nline' })
    expect(parseRemoteError(new Error('plain'))).toEqual({ code: 'internal', message: 'plain' })
    expect(parseRemoteError('text')).toEqual({ code: 'internal', message: 'text' })
  })
})

describe(buildVamHost.name, () => {
  it('exposes pathForFile, platform, revealInFolder and pickFolder only', async () => {
    const calls: [string, unknown][] = []
    const host = buildVamHost(
      {
        invoke: async (channel, input) => (
          calls.push([channel, input]),
          { ok: true, result: channel === HOST_CHANNELS.pickFolder ? '/picked' : undefined }
        ),
      },
      () => '/home/me/Pictures',
      'linux',
    )
    expect(Object.keys(host).sort()).toEqual([
      'pathForFile',
      'pickFolder',
      'platform',
      'revealInFolder',
    ])
    expect(host.pathForFile({} as File)).toBe('/home/me/Pictures')
    expect(host.platform).toBe('linux')
    await host.revealInFolder({ id: 3 })
    expect(await host.pickFolder({ title: 'Import Folder' })).toBe('/picked')
    expect(calls).toEqual([
      [HOST_CHANNELS.revealInFolder, { id: 3 }],
      [HOST_CHANNELS.pickFolder, { title: 'Import Folder' }],
    ])
  })
})
