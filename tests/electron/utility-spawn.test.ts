import { fork } from 'node:child_process'
import { EventEmitter } from 'node:events'
import { fileURLToPath } from 'node:url'
import type { ForkOptions } from 'electron'
import { afterEach, describe, expect, it } from 'vitest'
import type { WorkerRequest } from '../../src/core/jobs/worker-protocol'
import { WorkerPool } from '../../src/core/jobs/worker-pool'
import { ItemError } from '../../src/core/tasks/task-error'
import {
  utilitySpawnWorker,
  utilityWorkerChannel,
  type ForkUtility,
  type UtilityChild,
} from '../../src/main/utility-spawn'

/** A utility process under the test's control. */
class FakeChild extends EventEmitter {
  pid: number | undefined = undefined
  posted: WorkerRequest[] = []
  kills = 0
  postMessage(message: WorkerRequest) {
    this.posted.push(message)
  }
  kill() {
    this.kills++
    return true
  }
}

const request = (seq: number): WorkerRequest => ({ seq, task: 'ping', input: { echo: `${seq}` } })

describe(utilityWorkerChannel.name, () => {
  it('holds requests until the process has spawned, then sends them in order', () => {
    const child = new FakeChild()
    const channel = utilityWorkerChannel(child as unknown as UtilityChild)
    channel.send(request(1))
    channel.send(request(2))
    expect(child.posted).toEqual([])
    child.pid = 4242
    child.emit('spawn')
    channel.send(request(3))
    expect(child.posted.map((m) => m.seq)).toEqual([1, 2, 3])
    expect(channel.pid).toBe(4242)
  })

  it('reports exit exactly once, to listeners added before or after it', () => {
    const child = new FakeChild()
    const channel = utilityWorkerChannel(child as unknown as UtilityChild)
    const codes: (number | null)[] = []
    channel.onExit((code) => codes.push(code))
    child.emit('spawn')
    child.emit('exit', 70)
    child.emit('exit', 0)
    channel.onExit((code) => codes.push(code))
    expect(codes).toEqual([70, 70])
  })

  it('drops requests and kills after exit, and logs fatal errors', () => {
    const child = new FakeChild()
    const logs: string[] = []
    const channel = utilityWorkerChannel(child as unknown as UtilityChild, (m) => logs.push(m))
    channel.send(request(1))
    child.emit('error', 'FatalError', 'v8::OOM')
    child.emit('exit', 134)
    child.emit('spawn')
    channel.send(request(2))
    channel.kill()
    expect(child.posted).toEqual([])
    expect(child.kills).toBe(0)
    expect(logs[0]).toContain('FatalError')
  })

  it('passes replies through', () => {
    const child = new FakeChild()
    const channel = utilityWorkerChannel(child as unknown as UtilityChild)
    const replies: unknown[] = []
    channel.onMessage((m) => replies.push(m))
    child.emit('message', { seq: 1, ok: true, output: 'x' })
    expect(replies).toEqual([{ seq: 1, ok: true, output: 'x' }])
  })
})

const workerEntry = fileURLToPath(new URL('../../src/workers/utility-worker.ts', import.meta.url))
const shim = fileURLToPath(new URL('./fixtures/parent-port-shim.mjs', import.meta.url))

/**
 * utilityProcess.fork stand-in: a Node child running the real utility-worker entry with
 * process.parentPort provided by the shim, with utilityProcess's events (spawn/message/exit).
 */
function nodeFork(calls: { modulePath: string; options: ForkOptions }[]): ForkUtility {
  return (modulePath, _args, options) => {
    calls.push({ modulePath, options })
    const child = fork(modulePath, [], {
      execArgv: ['--import', 'tsx', '--import', shim],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    const emitter = new EventEmitter()
    child.on('spawn', () => emitter.emit('spawn'))
    child.on('message', (m) => emitter.emit('message', m))
    child.on('exit', (code, signal) => emitter.emit('exit', code ?? (signal ? 128 : 1)))
    return Object.assign(emitter, {
      get pid() {
        return child.pid
      },
      postMessage: (m: WorkerRequest) => void child.send(m),
      kill: () => child.kill(),
    }) as unknown as UtilityChild
  }
}

const pools: WorkerPool[] = []
afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.close()
})

describe(utilitySpawnWorker.name, () => {
  it('runs tasks in the utility-worker entry and names each process', async () => {
    const calls: { modulePath: string; options: ForkOptions }[] = []
    const pool = new WorkerPool({
      spawn: utilitySpawnWorker(nodeFork(calls), workerEntry),
      size: 2,
    })
    pools.push(pool)
    const [a, b] = await Promise.all([
      pool.run('ping', { echo: 'a', delayMs: 50 }),
      pool.run('ping', { echo: 'b', delayMs: 50 }),
    ])
    expect([a.echo, b.echo]).toEqual(['a', 'b'])
    expect(a.pid).not.toBe(process.pid)
    expect(a.pid).not.toBe(b.pid)
    expect(calls.map((c) => c.modulePath)).toEqual([workerEntry, workerEntry])
    expect(calls.map((c) => c.options.serviceName)).toEqual(['VAM worker 1', 'VAM worker 2'])
  })

  it('fails the item of a crashed worker with worker_crash and carries on in a fresh one', async () => {
    const calls: { modulePath: string; options: ForkOptions }[] = []
    const pool = new WorkerPool({
      spawn: utilitySpawnWorker(nodeFork(calls), workerEntry),
      size: 1,
    })
    pools.push(pool)
    const first = await pool.run('ping', { echo: 'before' })
    const crash = pool.run('ping', { echo: 'boom', crash: true })
    await expect(crash).rejects.toBeInstanceOf(ItemError)
    await expect(crash).rejects.toMatchObject({ code: 'worker_crash' })
    const after = await pool.run('ping', { echo: 'after' })
    expect(after.echo).toBe('after')
    expect(after.pid).not.toBe(first.pid)
    expect(calls).toHaveLength(2)
  })
})
