import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { openEngine } from '../src/core/engine'
import { reportBench } from './report'

/**
 * Job-engine overhead: ping tasks through the worker pool (round trips/s) and the cost of a
 * checkpoint transaction — the fixed costs every job pays per item and per batch.
 */
export async function run(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vam-bench-jobs-'))
  const engine = await openEngine(path.join(dir, 'catalog.sqlite'))
  try {
    const n = 5000
    await engine.pool.run('ping', { echo: 'warm' })
    const t0 = performance.now()
    const inFlight = 2 * engine.pool.size
    let next = 0
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < n) {
          next++
          await engine.pool.run('ping', { echo: 'x' })
        }
      }),
    )
    const poolSeconds = (performance.now() - t0) / 1000
    reportBench('jobs', [
      { measure: 'worker round trips/s', value: Math.round(n / poolSeconds), workers: engine.pool.size },
    ])
  } finally {
    await engine.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
