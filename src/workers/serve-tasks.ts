import { workerTasks } from '../core/tasks'
import type { WorkerReply, WorkerRequest } from '../core/jobs/worker-protocol'
import { serializeError } from '../core/tasks/task-error'

/**
 * The body of every worker process: runs tasks by name, one reply per request. Runtime-neutral:
 * the entry file supplies how messages arrive and leave (Node IPC or Electron parentPort).
 */
export function serveTasks(
  onRequest: (handler: (request: WorkerRequest) => void) => void,
  reply: (message: WorkerReply) => void,
): void {
  onRequest((request) => {
    const task = (workerTasks as Record<string, (input: unknown) => Promise<unknown>>)[
      request.task
    ]
    if (!task) {
      reply({
        seq: request.seq,
        ok: false,
        error: { name: 'Error', message: `unknown task ${request.task}` },
      })
      return
    }
    // Each reply carries the worker's resident memory so the pool can recycle a worker whose
    // heap has grown (e.g. the HEIC decoder's WASM memory never shrinks).
    task(request.input).then(
      (output) => reply({ seq: request.seq, ok: true, output, rss: process.memoryUsage.rss() }),
      (error: unknown) =>
        reply({
          seq: request.seq,
          ok: false,
          error: serializeError(error),
          rss: process.memoryUsage.rss(),
        }),
    )
  })
  reply({ ready: true, pid: process.pid })
}
