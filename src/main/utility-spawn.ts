import type { ForkOptions } from 'electron'
import type {
  SpawnWorker,
  WorkerChannel,
  WorkerReply,
  WorkerRequest,
} from '../core/jobs/worker-protocol'

/**
 * The part of Electron's UtilityProcess the pool uses. Structural, so the adapter is tested with
 * a Node child process standing in for the utility process.
 */
export interface UtilityChild {
  readonly pid: number | undefined
  postMessage(message: WorkerRequest): void
  kill(): boolean
  once(event: 'spawn', listener: () => void): unknown
  once(event: 'exit', listener: (code: number) => void): unknown
  on(event: 'message', listener: (message: WorkerReply) => void): unknown
  on(event: 'error', listener: (type: string, location: string) => void): unknown
}

/** `utilityProcess.fork`, injected. */
export type ForkUtility = (modulePath: string, args: string[], options: ForkOptions) => UtilityChild

/**
 * Adapts one utility process to the pool's WorkerChannel. Requests posted before the process has
 * spawned are held and flushed on 'spawn'; 'exit' is reported exactly once whatever the order of
 * kill/exit/error; nothing is posted to a process that is gone.
 */
export function utilityWorkerChannel(
  child: UtilityChild,
  log?: (message: string) => void,
): WorkerChannel {
  let spawned = false
  let exited = false
  const pending: WorkerRequest[] = []
  const exitListeners: ((code: number | null) => void)[] = []
  let exitCode: number | null | undefined

  child.once('spawn', () => {
    spawned = true
    for (const message of pending.splice(0)) child.postMessage(message)
  })
  child.on('error', (type, location) => {
    // A V8 fatal error (e.g. out of memory on a hostile file); 'exit' follows and fails the item.
    log?.(`worker ${child.pid ?? '?'} fatal error ${type} at ${location}`)
  })
  child.once('exit', (code) => {
    exited = true
    exitCode = code
    pending.length = 0
    for (const listener of exitListeners.splice(0)) listener(code)
  })

  return {
    get pid() {
      return child.pid
    },
    send(message) {
      if (exited) return
      if (spawned) child.postMessage(message)
      else pending.push(message)
    },
    onMessage(listener) {
      child.on('message', listener)
    },
    onExit(listener) {
      if (exited) listener(exitCode ?? null)
      else exitListeners.push(listener)
    },
    kill() {
      if (!exited) child.kill()
    },
  }
}

/**
 * The pool's SpawnWorker in Electron: each worker is a utilityProcess running the bundled
 * src/workers/utility-worker.ts (its path comes from electron-vite's `?modulePath` import).
 */
export function utilitySpawnWorker(
  fork: ForkUtility,
  modulePath: string,
  log?: (message: string) => void,
): SpawnWorker {
  let n = 0
  return () =>
    utilityWorkerChannel(
      fork(modulePath, [], {
        // Shown in the OS task manager and in app.getAppMetrics().
        serviceName: `VAM worker ${++n}`,
        // Worker stdout/stderr join the app's, so native library warnings are not lost.
        stdio: 'inherit',
      }),
      log,
    )
}
