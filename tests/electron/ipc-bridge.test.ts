import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openEngine, type Engine } from '../../src/core/engine'
import { EventHub } from '../../src/core/events'
import { createVamService } from '../../src/core/service'
import { APP_ORIGIN } from '../../src/main/app-protocol'
import {
  forwardEvents,
  handleIpcCall,
  isTrustedSender,
  registerHostCall,
  registerIpcBridge,
  toRemoteError,
} from '../../src/main/ipc-bridge'
import { channelOf, listMethods, type VamImpl } from '../../src/shared/contract'
import type { RemoteResult, VamEventMessage } from '../../src/shared/contract/transport'
import type { JobDto } from '../../src/shared/jobs'
import { useTempDirs } from '../helpers/temp-dir'

const tempDir = useTempDirs()
const engines: Engine[] = []
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close()
})

async function realImpl(): Promise<VamImpl> {
  const engine = await openEngine(path.join(tempDir(), 'catalog.sqlite'), { workerCount: 1 })
  engines.push(engine)
  return createVamService(engine)
}

/** A deterministic generator of the values structured clone can carry over IPC. */
function randomValues(seed: number) {
  let state = seed
  const random = () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff
    return state / 0x7fffffff
  }
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
  const keys = [
    'id',
    'limit',
    'offset',
    'filter',
    'params',
    'kind',
    'root',
    'after',
    'reason',
    'folder',
    'sort',
    'descending',
    'theme',
    'workerCount',
    '__proto__',
    'constructor',
    'toString',
    '',
  ]
  const value = (depth: number): unknown => {
    switch (Math.floor(random() * (depth > 3 ? 9 : 12))) {
      case 0:
        return null
      case 1:
        return undefined
      case 2:
        return pick([0, -1, 1, 2 ** 53, -(2 ** 63), 1.5, NaN, Infinity, -Infinity, 1e308])
      case 3:
        return pick(['', 'x', '../../etc/passwd', '\0', 'a'.repeat(10_000), '💥', 'import'])
      case 4:
        return random() < 0.5
      case 5:
        return BigInt(Math.floor(random() * 1000))
      case 6:
        return new Date(Math.floor(random() * 2 ** 40))
      case 7:
        return new Uint8Array(Math.floor(random() * 16))
      case 8:
        return /re/g
      case 9:
        return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1))
      case 10:
        return new Map([[pick(keys), value(depth + 1)]])
      default: {
        const object: Record<string, unknown> = {}
        for (let i = Math.floor(random() * 4); i > 0; i--) object[pick(keys)] = value(depth + 1)
        return object
      }
    }
  }
  const methods = listMethods()
  const name = () =>
    pick<unknown>([
      '',
      'photos',
      'page',
      'jobs.start',
      '__proto__',
      'constructor',
      'hasOwnProperty',
      42,
      null,
      {},
    ])
  return {
    call: (): [unknown, unknown, unknown] => {
      if (random() < 0.8) {
        const m = pick(methods)
        return [m.service, m.method, value(0)]
      }
      return [random() < 0.5 ? name() : pick(methods).service, name(), value(0)]
    },
  }
}

function expectEnvelope(reply: RemoteResult): void {
  expect(typeof reply.ok).toBe('boolean')
  if (!reply.ok) {
    expect(reply.error.code).toMatch(/^[a-z][a-z0-9_]*$/)
    expect(typeof reply.error.message).toBe('string')
    expect(Object.keys(reply.error).sort()).toEqual(['code', 'message'])
  }
  // Whatever goes back must survive Electron's structured clone.
  expect(() => structuredClone(reply)).not.toThrow()
}

describe(handleIpcCall.name, () => {
  it('answers valid calls with the real result', async () => {
    const impl = await realImpl()
    const reply = await handleIpcCall(impl, 'photos', 'page', { offset: 0, limit: 10 })
    expect(reply).toEqual({ ok: true, result: { total: 0, offset: 0, items: [] } })
    const info = await handleIpcCall(impl, 'catalog', 'info', undefined)
    expect(info.ok).toBe(true)
  })

  it('turns unknown methods and bad arguments into typed errors', async () => {
    const impl = await realImpl()
    expect(await handleIpcCall(impl, 'photos', 'drop', {})).toMatchObject({
      ok: false,
      error: { code: 'unknown_method' },
    })
    expect(await handleIpcCall(impl, '__proto__', 'constructor', {})).toMatchObject({
      ok: false,
      error: { code: 'unknown_method' },
    })
    expect(await handleIpcCall(impl, 'photos', 'toString', {})).toMatchObject({
      ok: false,
      error: { code: 'unknown_method' },
    })
    expect(await handleIpcCall(impl, 42, null, {})).toMatchObject({
      ok: false,
      error: { code: 'unknown_method' },
    })
    expect(await handleIpcCall(impl, 'photos', 'page', { offset: -1, limit: 1e9 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument' },
    })
    expect(
      await handleIpcCall(impl, 'jobs', 'start', { params: { kind: 'rm -rf' } }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument' },
    })
  })

  it('never throws, whatever arrives (fuzzed over every method)', async () => {
    const impl = await realImpl()
    const gen = randomValues(7)
    let accepted = 0
    for (let i = 0; i < 3000; i++) {
      const [service, method, input] = gen.call()
      const reply = await handleIpcCall(impl, service, method, input)
      expectEnvelope(reply)
      if (reply.ok) accepted++
    }
    // The generator reaches real handlers too (methods whose input is `{}` accept empty objects).
    expect(accepted).toBeGreaterThan(0)
  })

  it('contains whatever the implementation throws', async () => {
    const impl = await realImpl()
    const throwing = (thrown: unknown): VamImpl =>
      ({
        ...impl,
        photos: {
          ...impl.photos,
          folders: () => {
            throw thrown
          },
        },
      }) as VamImpl
    const weird = Object.defineProperty({}, 'code', {
      get() {
        throw new Error('getter')
      },
    })
    for (const thrown of [
      new Error('boom'),
      Object.assign(new Error('missing'), { code: 'not_found' }),
      Object.assign(new Error('odd'), { code: 'Not A Code!' }),
      'a string',
      null,
      undefined,
      42,
      { code: 'disk_full', message: 'no space' },
    ]) {
      const reply = await handleIpcCall(throwing(thrown), 'photos', 'folders', {})
      expectEnvelope(reply)
      expect(reply.ok).toBe(false)
    }
    const domain = await handleIpcCall(
      throwing(Object.assign(new Error('missing'), { code: 'not_found' })),
      'photos',
      'folders',
      {},
    )
    expect(domain).toEqual({ ok: false, error: { code: 'not_found', message: 'missing' } })
    expect(await handleIpcCall(throwing(weird), 'photos', 'folders', {})).toMatchObject({
      ok: false,
    })
  })
})

describe(toRemoteError.name, () => {
  it('clips runaway messages and never includes a stack', () => {
    const error = toRemoteError(new Error('x'.repeat(10_000)))
    expect(error.code).toBe('internal')
    expect(error.message.length).toBeLessThan(2100)
    expect(JSON.stringify(error)).not.toContain('at ')
  })
})

describe(isTrustedSender.name, () => {
  const trusted = [APP_ORIGIN]
  it('accepts only the top frame of our own page', () => {
    expect(isTrustedSender({ url: `${APP_ORIGIN}/index.html`, parent: null }, trusted)).toBe(true)
    expect(isTrustedSender({ url: 'https://evil.example/', parent: null }, trusted)).toBe(false)
    expect(isTrustedSender({ url: 'file:///index.html', parent: null }, trusted)).toBe(false)
    const top = { url: `${APP_ORIGIN}/index.html`, parent: null }
    expect(
      isTrustedSender({ url: `${APP_ORIGIN}/frame.html`, parent: top as never }, trusted),
    ).toBe(false)
    expect(isTrustedSender(null, trusted)).toBe(false)
    expect(isTrustedSender(undefined, trusted)).toBe(false)
  })
})

/** An ipcMain stand-in that keeps the registered handlers. */
function fakeIpcMain() {
  const handlers = new Map<string, (event: unknown, input: unknown) => unknown>()
  return {
    handlers,
    handle: (channel: string, fn: (event: unknown, input: unknown) => unknown) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`)
      handlers.set(channel, fn)
    },
    removeHandler: (channel: string) => void handlers.delete(channel),
  }
}

const fromUs = { senderFrame: { url: `${APP_ORIGIN}/index.html`, parent: null } }
const fromElsewhere = { senderFrame: { url: 'https://evil.example/', parent: null } }

describe(registerIpcBridge.name, () => {
  it('registers one channel per contract method and unregisters them all', async () => {
    const ipcMain = fakeIpcMain()
    const dispose = registerIpcBridge({
      ipcMain: ipcMain as never,
      impl: await realImpl(),
      trustedOrigins: [APP_ORIGIN],
    })
    expect([...ipcMain.handlers.keys()].sort()).toEqual(
      listMethods()
        .map((m) => channelOf(m.service, m.method))
        .sort(),
    )
    dispose()
    expect(ipcMain.handlers.size).toBe(0)
  })

  it('answers our renderer and refuses any other frame', async () => {
    const ipcMain = fakeIpcMain()
    const logs: string[] = []
    registerIpcBridge({
      ipcMain: ipcMain as never,
      impl: await realImpl(),
      trustedOrigins: [APP_ORIGIN],
      log: (m) => logs.push(m),
    })
    const page = ipcMain.handlers.get(channelOf('photos', 'page'))
    expect(await page?.(fromUs, { offset: 0, limit: 5 })).toMatchObject({ ok: true })
    expect(await page?.(fromElsewhere, { offset: 0, limit: 5 })).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'IPC from an untrusted frame' },
    })
    expect(await page?.({ senderFrame: null }, { offset: 0, limit: 5 })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    })
    expect(logs.some((line) => line.includes('evil.example'))).toBe(true)
  })
})

describe(registerHostCall.name, () => {
  it('wraps a host call in the same envelope and sender check', async () => {
    const ipcMain = fakeIpcMain()
    registerHostCall(
      { ipcMain: ipcMain as never, trustedOrigins: [APP_ORIGIN] },
      'vamHost.test',
      (input) => {
        if (input === 'bad') throw Object.assign(new Error('nope'), { code: 'invalid_argument' })
        return 'done'
      },
    )
    const handler = ipcMain.handlers.get('vamHost.test')
    expect(await handler?.(fromUs, 'ok')).toEqual({ ok: true, result: 'done' })
    expect(await handler?.(fromUs, 'bad')).toEqual({
      ok: false,
      error: { code: 'invalid_argument', message: 'nope' },
    })
    expect(await handler?.(fromElsewhere, 'ok')).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    })
  })
})

describe(forwardEvents.name, () => {
  it('forwards every engine event on the one channel until unsubscribed', () => {
    const events = new EventHub()
    const sent: VamEventMessage[] = []
    const stop = forwardEvents(events, (message) => sent.push(message))
    events.emit('catalogChanged', { reason: 'import' })
    events.emit('menuCommand', { command: 'find' })
    events.emit('jobChanged', { id: 1 } as JobDto)
    stop()
    events.emit('catalogChanged', { reason: 'late' })
    expect(sent).toEqual([
      { event: 'catalogChanged', payload: { reason: 'import' } },
      { event: 'menuCommand', payload: { command: 'find' } },
      { event: 'jobChanged', payload: { id: 1 } },
    ])
  })

  it('survives a send that throws (a window closing mid-event)', () => {
    const events = new EventHub()
    forwardEvents(events, () => {
      throw new Error('Object has been destroyed')
    })
    expect(() => events.emit('catalogChanged', { reason: 'x' })).not.toThrow()
  })
})

describe('toRemoteError on hostile values', () => {
  it('survives values whose toString or getters throw', () => {
    const hostile = {
      toString: () => {
        throw new Error('no')
      },
    }
    expect(toRemoteError(hostile)).toEqual({ code: 'internal', message: 'unprintable error' })
    expect(toRemoteError(Symbol('s'))).toMatchObject({ code: 'internal' })
  })
})
