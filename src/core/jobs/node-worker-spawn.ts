import { fork } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { SpawnWorker, WorkerChannel, WorkerReply } from './worker-protocol'

/**
 * Where the Node worker entry lives: the bundled `out/node/worker.js` when running built code,
 * else the TypeScript source run through tsx (tests, `npm run vam`).
 */
export function nodeWorkerEntry(): { entry: string; execArgv: string[] } {
  const built = fileURLToPath(new URL('./worker.js', import.meta.url))
  if (import.meta.url.endsWith('.js') && existsSync(built)) return { entry: built, execArgv: [] }
  const source = fileURLToPath(new URL('../../workers/node-worker.ts', import.meta.url))
  return { entry: source, execArgv: ['--import', 'tsx'] }
}

/** Spawns workers as Node child processes (CLI, web host, tests). */
export function nodeSpawnWorker(): SpawnWorker {
  const { entry, execArgv } = nodeWorkerEntry()
  return () => {
    // 'advanced' serialisation: Buffers and typed arrays cross as structured clones, not JSON.
    const child = fork(entry, [], {
      execArgv,
      serialization: 'advanced',
      // Fewer malloc arenas: libvips/libheif threads otherwise keep one arena each, which holds
      // on to freed memory and inflates each worker's resident size.
      env: { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    let exited = false
    const channel: WorkerChannel = {
      pid: child.pid,
      send: (message) => {
        if (!exited && child.connected) child.send(message)
      },
      onMessage: (listener) => child.on('message', (m) => listener(m as WorkerReply)),
      onExit: (listener) =>
        child.once('exit', (code, signal) => {
          exited = true
          listener(code ?? (signal ? 128 : null))
        }),
      kill: () => {
        if (!exited) child.kill()
      },
    }
    return channel
  }
}
