import type { IpcMain, IpcMainInvokeEvent, WebFrameMain } from 'electron'
import { channelOf, listMethods, type VamImpl } from '../shared/contract'
import {
  EVENT_NAMES,
  type RemoteError,
  type RemoteResult,
  type VamEventMessage,
} from '../shared/contract/transport'
import type { EventHub } from '../core/events'
import { ContractError, invokeMethod } from '../core/invoke'
import { isTrustedUrl } from './security'

/** Longest error message sent to the renderer (a runaway message must not flood IPC). */
const MAX_MESSAGE = 2000

/** An error as the renderer sees it: a code and a message, never a stack or a live object. */
export function toRemoteError(error: unknown): RemoteError {
  if (error instanceof ContractError) return { code: error.code, message: clip(error.message) }
  try {
    const code =
      typeof error === 'object' && error !== null && 'code' in error
        ? (error as { code: unknown }).code
        : null
    const message = error instanceof Error ? error.message : String(error)
    return {
      // Domain codes (ItemError's, a service's `not_found`…) pass through; anything odd is internal.
      code: typeof code === 'string' && /^[a-z][a-z0-9_]{0,63}$/.test(code) ? code : 'internal',
      message: clip(typeof message === 'string' ? message : 'error'),
    }
  } catch {
    // A thrown value whose getters or toString throw in turn.
    return { code: 'internal', message: 'unprintable error' }
  }
}

function clip(text: string): string {
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text
}

/**
 * One call from the renderer: validated against the contract's schema, run, and answered with a
 * plain envelope. Never throws — whatever the arguments (the bridge's fuzz test holds it to that).
 */
export async function handleIpcCall(
  impl: VamImpl,
  service: unknown,
  method: unknown,
  input: unknown,
): Promise<RemoteResult> {
  try {
    if (typeof service !== 'string' || typeof method !== 'string') {
      return {
        ok: false,
        error: { code: 'unknown_method', message: 'service and method must be names' },
      }
    }
    const result = await invokeMethod(impl, service, method, input)
    return { ok: true, result }
  } catch (error) {
    return { ok: false, error: toRemoteError(error) }
  }
}

/**
 * Whether an IPC message comes from our renderer: the top frame of a page of one of our origins
 * (Electron checklist 17). Sub-frames and foreign pages are refused even if one ever loads.
 */
export function isTrustedSender(
  frame: Pick<WebFrameMain, 'url' | 'parent'> | null | undefined,
  trustedOrigins: readonly string[],
): boolean {
  if (!frame || frame.parent !== null) return false
  return isTrustedUrl(frame.url, trustedOrigins)
}

const FORBIDDEN: RemoteResult = {
  ok: false,
  error: { code: 'forbidden', message: 'IPC from an untrusted frame' },
}

export interface IpcBridgeOptions {
  readonly ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>
  /** The contract implementation over the open engine. */
  readonly impl: VamImpl
  readonly trustedOrigins: readonly string[]
  readonly log?: (message: string) => void
}

/**
 * Registers `ipcMain.handle(channelOf(service, method))` for every method of the contract. The
 * handlers only check the sender and delegate to handleIpcCall. Returns the unregister function.
 */
export function registerIpcBridge(options: IpcBridgeOptions): () => void {
  const channels: string[] = []
  for (const { service, method } of listMethods()) {
    const channel = channelOf(service, method)
    options.ipcMain.handle(channel, (event: IpcMainInvokeEvent, input: unknown) => {
      if (!isTrustedSender(event.senderFrame, options.trustedOrigins)) {
        options.log?.(`refused ${channel} from ${event.senderFrame?.url ?? 'a destroyed frame'}`)
        return FORBIDDEN
      }
      return handleIpcCall(options.impl, service, method, input)
    })
    channels.push(channel)
  }
  return () => {
    for (const channel of channels) options.ipcMain.removeHandler(channel)
  }
}

/**
 * Registers one extra trusted call (the host-only `vamHost.*` calls). Same envelope and sender
 * check as the contract; `run` validates its own input.
 */
export function registerHostCall(
  options: Pick<IpcBridgeOptions, 'ipcMain' | 'trustedOrigins' | 'log'>,
  channel: string,
  run: (input: unknown) => unknown,
): () => void {
  options.ipcMain.handle(channel, async (event: IpcMainInvokeEvent, input: unknown) => {
    if (!isTrustedSender(event.senderFrame, options.trustedOrigins)) {
      options.log?.(`refused ${channel} from ${event.senderFrame?.url ?? 'a destroyed frame'}`)
      return FORBIDDEN
    }
    try {
      return { ok: true, result: await run(input) } satisfies RemoteResult
    } catch (error) {
      return { ok: false, error: toRemoteError(error) } satisfies RemoteResult
    }
  })
  return () => options.ipcMain.removeHandler(channel)
}

/**
 * Forwards every engine event to the renderer as one VamEventMessage on EVENT_CHANNEL. `send`
 * must tolerate a closed window (the EventHub already swallows listener errors).
 */
export function forwardEvents(
  events: EventHub,
  send: (message: VamEventMessage) => void,
): () => void {
  const unsubscribe = EVENT_NAMES.map((event) =>
    events.on(event, (payload) => send({ event, payload } as VamEventMessage)),
  )
  return () => {
    for (const off of unsubscribe) off()
  }
}
