import type { ServiceName, VamClient, VamEventName, VamEvents } from '../../shared/contract'
import { METHOD_NAMES } from '../../shared/contract/transport'
import { ApiError } from './api-error'

type Listener = (payload: unknown) => void

/** Reconnect delays for the event socket: quick at first, then every few seconds. */
const RECONNECT_MS = [250, 500, 1000, 2000, 4000]

/**
 * The contract over the loopback web host: calls are `POST /api/<service>/<method>` with the
 * token in a header, events arrive on one WebSocket that reconnects by itself. After a reconnect
 * a synthetic `catalogChanged` tells views to refresh what they may have missed.
 */
export function createWebClient(origin: string, token: string | null): VamClient {
  const call = async (service: string, method: string, input: unknown): Promise<unknown> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    if (token) headers['x-vam-token'] = token
    const res = await fetch(`${origin}/api/${service}/${method}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(input ?? {}),
      credentials: 'same-origin',
    })
    const text = await res.text()
    const body: unknown = text ? JSON.parse(text) : null
    if (!res.ok) {
      const error = (body as { error?: { code?: string; message?: string } } | null)?.error
      throw new ApiError(
        error?.code ?? 'http_error',
        error?.message ?? `HTTP ${res.status}`,
        res.status,
      )
    }
    return body
  }

  // Plain objects built from the contract's method names (shared/contract/transport.ts): an unknown method is a type error at
  // compile time and `undefined` at run time, never a request.
  const api: Record<string, Record<string, (input: unknown) => Promise<unknown>>> = {}
  for (const service of Object.keys(METHOD_NAMES) as ServiceName[]) {
    const methods: Record<string, (input: unknown) => Promise<unknown>> = {}
    for (const method of METHOD_NAMES[service]) {
      methods[method] = (input) => call(service, method, input)
    }
    api[service] = methods
  }

  const listeners = new Map<string, Set<Listener>>()
  let socket: WebSocket | null = null
  let attempt = 0
  let everOpened = false
  const dispatch = (event: string, payload: unknown) => {
    for (const listener of listeners.get(event) ?? []) {
      try {
        listener(payload)
      } catch (error) {
        console.error(`listener of ${event} failed`, error)
      }
    }
  }
  const connect = () => {
    const wsOrigin = origin.replace(/^http/, 'ws')
    const query = token ? `?token=${encodeURIComponent(token)}` : ''
    const ws = new WebSocket(`${wsOrigin}/events${query}`)
    socket = ws
    ws.onopen = () => {
      if (everOpened) dispatch('catalogChanged', { reason: 'reconnected' })
      everOpened = true
      attempt = 0
    }
    ws.onmessage = (message) => {
      const { event, payload } = JSON.parse(String(message.data)) as {
        event: string
        payload: unknown
      }
      dispatch(event, payload)
    }
    ws.onclose = () => {
      socket = null
      const delay = RECONNECT_MS[Math.min(attempt, RECONNECT_MS.length - 1)] ?? 4000
      attempt++
      setTimeout(connect, delay)
    }
  }

  const client = {
    ...api,
    on<E extends VamEventName>(event: E, listener: (payload: VamEvents[E]) => void) {
      if (!socket) connect()
      let set = listeners.get(event)
      if (!set) {
        set = new Set()
        listeners.set(event, set)
      }
      set.add(listener as Listener)
      return () => set.delete(listener as Listener)
    },
  }
  return client as unknown as VamClient
}
