import type { JobDto, JobLogLine } from '../jobs'
import type { ServiceApi, ServiceImpl } from './define'
import { catalogContract } from './catalog'
import { healthContract } from './health'
import { jobsContract } from './jobs'
import { mapContract } from './map'
import { photosContract } from './photos'
import { reviewContract } from './review'
import { searchContract } from './search'

/**
 * The one API contract. Every host implements it (core/service.ts) and every client calls it:
 * the preload (`window.vam`), the web host (HTTP + WebSocket) and the CLI. A feature adds its
 * service file beside this one and one line here.
 */
export const contract = {
  catalog: catalogContract,
  health: healthContract,
  jobs: jobsContract,
  map: mapContract,
  photos: photosContract,
  review: reviewContract,
  search: searchContract,
} as const

export type Contract = typeof contract
export type ServiceName = keyof Contract

/** The API as a client calls it. */
export type VamApi = { readonly [S in ServiceName]: ServiceApi<Contract[S]> }
/** The API as a host implements it. */
export type VamImpl = { readonly [S in ServiceName]: ServiceImpl<Contract[S]> }

/** Events pushed from the engine to every client. */
export interface VamEvents {
  /** A job changed state or made progress (throttled to ≤ 10/s per job). */
  readonly jobChanged: JobDto
  readonly jobLog: JobLogLine
  /** Catalog rows changed (import batches, analysis results, resolutions): refresh views. */
  readonly catalogChanged: { readonly reason: string }
  /** A native menu item or its shortcut was used (desktop app only); the renderer acts on it. */
  readonly menuCommand: { readonly command: MenuCommand }
}
export type VamEventName = keyof VamEvents

/**
 * Commands the desktop app's native menu sends to the renderer. When a text field has focus the
 * renderer should let `undo`, `redo` and `selectAll` act on the text instead.
 */
export type MenuCommand =
  | 'undo'
  | 'redo'
  | 'find'
  | 'selectAll'
  | 'revealInFolder'
  | 'openSettings'

/** A client: the API plus event subscription. */
export interface VamClient extends VamApi {
  on<E extends VamEventName>(event: E, listener: (payload: VamEvents[E]) => void): () => void
}

// Defined in transport.ts, which the sandboxed preload bundles without the zod schemas.
export { channelOf } from './transport'

/** Every `service.method` pair, for hosts that register handlers generically. */
export function listMethods(): readonly { service: ServiceName; method: string }[] {
  return (Object.keys(contract) as ServiceName[]).flatMap((service) =>
    Object.keys(contract[service]).map((m) => ({ service, method: m })),
  )
}

export type { ServiceApi, ServiceImpl }
