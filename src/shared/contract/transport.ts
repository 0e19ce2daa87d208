import type { Contract, ServiceName, VamEventName, VamEvents } from './index'

/*
 * What a client needs to reach a host without the zod schemas: method and event names as plain
 * data, the event channel, the result envelope and how a failed call's error travels. The
 * sandboxed Electron preload can bundle only this file (and no npm package), so it must stay free
 * of runtime imports — everything from './index' is `import type`.
 */

type MethodNameLists = { readonly [S in ServiceName]: readonly (keyof Contract[S] & string)[] }

/**
 * Every method of every service, by name. When a feature adds a method to the contract, tsc fails
 * on `_namesComplete` below until the name is added here too.
 */
export const METHOD_NAMES = {
  catalog: ['info', 'settings', 'updateSettings', 'backups', 'backup'],
  health: ['report', 'plan', 'runPlan', 'markdown'],
  jobs: ['start', 'list', 'get', 'cancel', 'pause', 'resume', 'log', 'errors'],
  map: ['clusters', 'timeline'],
  photos: ['page', 'get', 'folders', 'cameras'],
  review: [
    'duplicateGroups',
    'duplicateGroup',
    'setDuplicateRole',
    'chooseKeeper',
    'resolveDuplicates',
    'dismissDuplicates',
    'bursts',
    'burst',
    'setBurstBest',
    'setBurstRole',
    'resolveBursts',
    'dismissBurst',
    'decisions',
    'undo',
    'counts',
  ],
  search: ['text', 'similar', 'model', 'setModel', 'tags', 'setTags'],
} as const satisfies MethodNameLists

/** Every event of VamEvents, by name (kept complete by the same check). */
export const EVENT_NAMES = [
  'jobChanged',
  'jobLog',
  'catalogChanged',
  'menuCommand',
] as const satisfies readonly VamEventName[]

type MissingMethods = {
  [S in ServiceName]: Exclude<keyof Contract[S], (typeof METHOD_NAMES)[S][number]>
}[ServiceName]
type MissingEvents = Exclude<VamEventName, (typeof EVENT_NAMES)[number]>
type ServicesComplete = Exclude<ServiceName, keyof typeof METHOD_NAMES>
// A type error on this line names what is missing from METHOD_NAMES / EVENT_NAMES.
const _namesComplete: {
  readonly methods: [MissingMethods | ServicesComplete] extends [never]
    ? true
    : MissingMethods | ServicesComplete
  readonly events: [MissingEvents] extends [never] ? true : MissingEvents
} = { methods: true, events: true }
void _namesComplete

/** Channel name of a method: `photos.page`. Derived, never written by hand elsewhere. */
export function channelOf(service: string, methodName: string): string {
  return `${service}.${methodName}`
}

/** The one channel every engine event travels on, host → renderer. */
export const EVENT_CHANNEL = 'vam:event'

/** One event as it travels on EVENT_CHANNEL. */
export type VamEventMessage = {
  readonly [E in VamEventName]: { readonly event: E; readonly payload: VamEvents[E] }
}[VamEventName]

/** A failed call as it crosses a process or network boundary: plain data. */
export interface RemoteError {
  /** `unknown_method`, `invalid_argument`, `forbidden`, `internal`, or a domain code. */
  readonly code: string
  readonly message: string
}

/** What a host returns for every call: never a thrown exception across the boundary. */
export type RemoteResult =
  | { readonly ok: true; readonly result: unknown }
  | { readonly ok: false; readonly error: RemoteError }

/**
 * The message of the Error a client throws for a failed call. The code travels inside the message
 * because Electron's contextBridge copies only an Error's message, dropping other properties.
 */
export function remoteErrorMessage(error: RemoteError): string {
  return `[${error.code}] ${error.message}`
}

/** Reads the code back from an error thrown by a client (`internal` when there is none). */
export function parseRemoteError(error: unknown): RemoteError {
  const message = error instanceof Error ? error.message : String(error)
  const match = /^\[([a-z][a-z0-9_]{0,63})\] ([\s\S]*)$/.exec(message)
  return match?.[1] !== undefined && match[2] !== undefined
    ? { code: match[1], message: match[2] }
    : { code: 'internal', message }
}

/**
 * `window.vamHost` in the desktop app: what only a desktop host can do. Absent in a browser, so the
 * renderer must treat it as optional.
 */
export interface VamHost {
  /** Absolute path of a dropped file or folder (Electron's `webUtils.getPathForFile`). */
  pathForFile(file: File): string
  /** `process.platform` of the host: 'darwin', 'win32', 'linux'. */
  readonly platform: string
  /** Shows a photo's original in the OS file manager (by catalog id, never by path). */
  revealInFolder(input: { readonly id: number }): Promise<void>
  /** The OS folder picker; resolves to the chosen folder, or null when cancelled. */
  pickFolder(input: { readonly title?: string }): Promise<string | null>
}

/** IPC channels of VamHost's calls (the rest of VamHost runs inside the preload). */
export const HOST_CHANNELS = {
  revealInFolder: 'vamHost.revealInFolder',
  pickFolder: 'vamHost.pickFolder',
} as const
