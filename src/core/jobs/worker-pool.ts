import { strictAssert } from '../../shared/assert'
import type { TaskInput, TaskName, TaskOutput } from '../tasks'
import { ItemError, deserializeError } from '../tasks/task-error'
import type { SpawnWorker, WorkerChannel, WorkerReply } from './worker-protocol'

interface PendingTask {
  readonly seq: number
  readonly task: string
  readonly input: unknown
  resolve(output: unknown): void
  reject(error: Error): void
}

interface Slot {
  channel: WorkerChannel
  busy: PendingTask | null
  alive: boolean
}

export interface WorkerPoolOptions {
  readonly spawn: SpawnWorker
  /** Number of worker processes (≥ 1). */
  readonly size: number
  /** Prefix for log lines about worker lifecycle. */
  readonly log?: (message: string) => void
  /**
   * A worker whose resident memory after a task exceeds this is replaced by a fresh one, so
   * memory a decoder never gives back (WASM heaps, allocator fragmentation) cannot accumulate.
   */
  readonly recycleAboveBytes?: number
}

/** Default recycling threshold: the per-worker memory budget. */
export const DEFAULT_WORKER_RECYCLE_BYTES = 300 * 1024 * 1024

/**
 * A fixed pool of worker processes, one task at a time per worker. A worker that dies mid-task
 * fails that task with a `worker_crash` ItemError (so the job records the item and goes on) and is
 * replaced by a fresh one. Workers start lazily on the first task.
 */
export class WorkerPool {
  private readonly slots: Slot[] = []
  private readonly queue: PendingTask[] = []
  private seq = 0
  private closed = false

  constructor(private readonly options: WorkerPoolOptions) {
    strictAssert(options.size >= 1, 'worker pool size must be at least 1')
  }

  get size(): number {
    return this.options.size
  }

  /** Runs one task in a worker; rejects with the worker's error or a `worker_crash` ItemError. */
  run<T extends TaskName>(task: T, input: TaskInput<T>): Promise<TaskOutput<T>> {
    if (this.closed) return Promise.reject(new Error('worker pool is closed'))
    return new Promise<TaskOutput<T>>((resolve, reject) => {
      this.queue.push({
        seq: ++this.seq,
        task,
        input,
        resolve: resolve as (output: unknown) => void,
        reject,
      })
      this.dispatch()
    })
  }

  /** Stops every worker; queued tasks are rejected. */
  async close(): Promise<void> {
    this.closed = true
    for (const pending of this.queue.splice(0)) pending.reject(new Error('worker pool closed'))
    for (const slot of this.slots) {
      slot.alive = false
      slot.channel.kill()
    }
    this.slots.length = 0
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const slot = this.idleSlot()
      if (!slot) return
      const next = this.queue.shift()
      strictAssert(next, 'queue not empty')
      slot.busy = next
      slot.channel.send({ seq: next.seq, task: next.task, input: next.input })
    }
  }

  private idleSlot(): Slot | undefined {
    const idle = this.slots.find((slot) => slot.alive && slot.busy === null)
    if (idle) return idle
    if (this.slots.length < this.options.size) return this.startWorker()
    return undefined
  }

  private startWorker(): Slot {
    const channel = this.options.spawn()
    const slot: Slot = { channel, busy: null, alive: true }
    this.slots.push(slot)
    channel.onMessage((message) => this.onReply(slot, message))
    channel.onExit((code) => this.onExit(slot, code))
    return slot
  }

  private onReply(slot: Slot, message: WorkerReply): void {
    if ('ready' in message) return
    const pending = slot.busy
    if (!pending || pending.seq !== message.seq) return
    slot.busy = null
    const limit = this.options.recycleAboveBytes ?? DEFAULT_WORKER_RECYCLE_BYTES
    if (message.rss !== undefined && message.rss > limit) this.recycle(slot, message.rss)
    if (message.ok) pending.resolve(message.output)
    else pending.reject(deserializeError(message.error))
    this.dispatch()
  }

  /** Retires an idle worker; a replacement starts on the next dispatch. */
  private recycle(slot: Slot, rss: number): void {
    this.options.log?.(
      `worker ${slot.channel.pid ?? '?'} recycled at ${Math.round(rss / 1048576)} MB resident`,
    )
    slot.alive = false
    const index = this.slots.indexOf(slot)
    if (index >= 0) this.slots.splice(index, 1)
    slot.channel.kill()
  }

  private onExit(slot: Slot, code: number | null): void {
    const index = this.slots.indexOf(slot)
    if (index >= 0) this.slots.splice(index, 1)
    const wasAlive = slot.alive
    slot.alive = false
    const pending = slot.busy
    slot.busy = null
    if (pending) {
      this.options.log?.(`worker ${slot.channel.pid ?? '?'} died (code ${code}) during ${pending.task}`)
      pending.reject(
        new ItemError('worker_crash', `worker process crashed (exit code ${code}) on this item`),
      )
    } else if (wasAlive && !this.closed) {
      this.options.log?.(`worker ${slot.channel.pid ?? '?'} exited (code ${code})`)
    }
    // A replacement starts on demand in dispatch().
    if (!this.closed) this.dispatch()
  }
}

/** cores − 1, at least 1: leaves one core for the main process (UI, SQLite writes). */
export function defaultWorkerCount(cores: number, setting = 0): number {
  if (setting > 0) return setting
  return Math.max(1, cores - 1)
}
