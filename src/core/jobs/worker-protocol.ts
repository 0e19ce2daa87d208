import type { SerializedError } from '../tasks/task-error'

/** Main → worker. `seq` pairs each reply with its request. */
export interface WorkerRequest {
  readonly seq: number
  readonly task: string
  readonly input: unknown
}

/** Worker → main. */
export type WorkerReply =
  | { readonly seq: number; readonly ok: true; readonly output: unknown; readonly rss?: number }
  | {
      readonly seq: number
      readonly ok: false
      readonly error: SerializedError
      readonly rss?: number
    }
  | { readonly ready: true; readonly pid: number }

/**
 * A running worker process as the pool sees it, whatever the runtime: a Node child process, or an
 * Electron utilityProcess (src/main). Implementations must report exit exactly once.
 */
export interface WorkerChannel {
  readonly pid: number | undefined
  send(message: WorkerRequest): void
  onMessage(listener: (message: WorkerReply) => void): void
  onExit(listener: (code: number | null) => void): void
  kill(): void
}

/** Starts one worker process. */
export type SpawnWorker = () => WorkerChannel
