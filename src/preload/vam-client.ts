import type { VamClient, VamEventName, VamEvents } from '../shared/contract'
import {
  EVENT_NAMES,
  HOST_CHANNELS,
  METHOD_NAMES,
  channelOf,
  remoteErrorMessage,
  type RemoteResult,
  type VamHost,
} from '../shared/contract/transport'

/*
 * The renderer's client, built generically from the contract's method and event names. No
 * Electron import here (index.ts supplies the transport), so it is unit-tested under Node; and no
 * runtime import of the contract's zod schemas, so the sandboxed preload bundle stays small.
 */

/** How the preload talks to main: ipcRenderer.invoke and one ipcRenderer.on, in production. */
export interface PreloadTransport {
  invoke(channel: string, input: unknown): Promise<unknown>
  /** Called once; delivers every message of the event channel. */
  subscribe(listener: (message: unknown) => void): void
}

const EVENT_SET: ReadonlySet<string> = new Set(EVENT_NAMES)

/** Unwraps a host's RemoteResult: the result, or a thrown Error carrying `[code] message`. */
export function unwrapResult(reply: unknown): unknown {
  if (typeof reply === 'object' && reply !== null && 'ok' in reply) {
    const result = reply as RemoteResult
    if (result.ok) return result.result
    if (typeof result.error?.code === 'string' && typeof result.error.message === 'string') {
      throw new Error(remoteErrorMessage(result.error))
    }
  }
  throw new Error(remoteErrorMessage({ code: 'internal', message: 'malformed reply from host' }))
}

/** `window.vam`: every contract method as an async function, plus `on(event, listener)`. */
export function buildVamClient(transport: PreloadTransport): VamClient {
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  transport.subscribe((message) => {
    if (typeof message !== 'object' || message === null) return
    const { event, payload } = message as { event?: unknown; payload?: unknown }
    if (typeof event !== 'string' || !EVENT_SET.has(event)) return
    for (const listener of [...(listeners.get(event) ?? [])]) {
      try {
        listener(payload)
      } catch (error) {
        // One broken listener must not starve the others; surface it asynchronously.
        queueMicrotask(() => {
          throw error
        })
      }
    }
  })

  const client: Record<string, unknown> = {}
  for (const [service, methods] of Object.entries(METHOD_NAMES)) {
    const api: Record<string, (input?: unknown) => Promise<unknown>> = {}
    for (const method of methods) {
      const channel = channelOf(service, method)
      api[method] = async (input?: unknown) =>
        unwrapResult(await transport.invoke(channel, input ?? {}))
    }
    client[service] = api
  }
  client.on = <E extends VamEventName>(
    event: E,
    listener: (payload: VamEvents[E]) => void,
  ): (() => void) => {
    if (!EVENT_SET.has(event)) throw new Error(`unknown event "${String(event)}"`)
    if (typeof listener !== 'function') throw new Error('listener must be a function')
    let set = listeners.get(event)
    if (!set) {
      set = new Set()
      listeners.set(event, set)
    }
    const entry = listener as (payload: unknown) => void
    set.add(entry)
    return () => {
      set.delete(entry)
    }
  }
  return client as unknown as VamClient
}

/** `window.vamHost`: what only the desktop can do. */
export function buildVamHost(
  transport: Pick<PreloadTransport, 'invoke'>,
  getPathForFile: (file: File) => string,
  platform: string,
): VamHost {
  return {
    pathForFile: (file) => getPathForFile(file),
    platform,
    revealInFolder: async (input) => {
      unwrapResult(await transport.invoke(HOST_CHANNELS.revealInFolder, input))
    },
    pickFolder: async (input) =>
      unwrapResult(await transport.invoke(HOST_CHANNELS.pickFolder, input)) as string | null,
  }
}
