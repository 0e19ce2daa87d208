import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { detectBursts } from '../../src/core/analysis/bursts'
import { planDuplicateGroups } from '../../src/core/analysis/duplicate-plan'
import { openEngine, type Engine } from '../../src/core/engine'
import { syntheticCatalog } from '../../bench/dupes.bench'
import { useTempDirs } from '../helpers/temp-dir'

const tempDir = useTempDirs()
let engine: Engine

beforeAll(async () => {
  engine = await openEngine(path.join(tempDir(), 'c.sqlite'), { workerCount: 1 })
})
afterAll(async () => {
  await engine.close()
})

/**
 * Large catalogs compute in a worker process (the columns cross as structured clones). The
 * worker must return exactly what the inline computation returns.
 */
describe('duplicates and bursts in a worker process', () => {
  it('gives the same groups and bursts as inline', async () => {
    const { input, planted } = syntheticCatalog(30_000, 5)
    const inline = planDuplicateGroups(input)
    const remote = await engine.pool.run('duplicates', input)
    expect(remote.groups).toEqual(inline.groups)
    expect(remote.stats).toEqual(inline.stats)
    expect(inline.groups.length).toBeGreaterThan(100)
    expect(planted.length).toBeGreaterThan(100)
    const bursts = await engine.pool.run('bursts', {
      frames: input.frames,
      options: input.burstOptions,
    })
    expect(bursts).toEqual(detectBursts(input.frames, input.burstOptions))
  })
})
