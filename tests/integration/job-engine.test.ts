import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { openCatalog, type Catalog } from '../../src/core/catalog/open-catalog'
import { EventHub } from '../../src/core/events'
import type { JobHandler } from '../../src/core/jobs/job-handler'
import { JobEngine } from '../../src/core/jobs/job-engine'
import { nodeSpawnWorker } from '../../src/core/jobs/node-worker-spawn'
import { WorkerPool } from '../../src/core/jobs/worker-pool'
import { DEFAULT_SETTINGS } from '../../src/shared/settings'
import type { JobDto } from '../../src/shared/jobs'
import { useTempDirs } from '../helpers/temp-dir'

const tempDir = useTempDirs()

/**
 * A test handler over the `backup` kind: processes items 1..total in batches, recording each
 * processed item in a table inside the checkpoint transaction (so "done twice" is detectable),
 * failing every item divisible by `failEvery`.
 */
function countingHandler(opts: {
  total: number
  batch: number
  delayMs?: number
  failEvery?: number
  onBatch?: (lastItem: number) => void
}): JobHandler<'backup'> {
  return {
    kind: 'backup',
    async run(ctx) {
      ctx.db.exec('CREATE TABLE IF NOT EXISTS processed (item INTEGER PRIMARY KEY)')
      ctx.setTotal(opts.total)
      let next = ctx.resumeCursor ? Number(ctx.resumeCursor) + 1 : 1
      if (next > 1) ctx.itemSkipped(0)
      while (next <= opts.total) {
        const items: number[] = []
        for (let i = 0; i < opts.batch && next <= opts.total; i++, next++) {
          if (opts.failEvery && next % opts.failEvery === 0) {
            ctx.itemFailed({ path: `/item/${next}`, stage: 'test', code: 'corrupt', message: 'bad item' })
          } else {
            items.push(next)
            ctx.itemDone()
          }
          ctx.setCurrent(`/item/${next}`)
        }
        if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs))
        const insert = ctx.db.prepare('INSERT INTO processed (item) VALUES (?)')
        await ctx.checkpoint(String(next - 1), () => {
          for (const item of items) insert.run(item)
        })
        opts.onBatch?.(next - 1)
      }
    },
  }
}

async function setup(handler: JobHandler<'backup'>, catalog?: Catalog) {
  const cat = catalog ?? (await openCatalog(path.join(tempDir(), 'catalog.sqlite')))
  const events = new EventHub()
  const pool = new WorkerPool({ spawn: nodeSpawnWorker(), size: 1 })
  const engine = new JobEngine({
    db: cat.db,
    paths: cat.paths,
    pool,
    events,
    handlers: { backup: handler },
    settings: () => DEFAULT_SETTINGS,
  })
  return { catalog: cat, engine, events, pool }
}

const processedCount = (c: Catalog) =>
  (c.db.prepare('SELECT COUNT(*) AS n FROM processed').get() as { n: number }).n

describe(JobEngine.name, () => {
  it('runs a job to completion, recording counters, per-item errors and a log', async () => {
    const { catalog, engine } = await setup(countingHandler({ total: 1200, batch: 500, failEvery: 100 }))
    const job = engine.start({ kind: 'backup' })
    const final = await engine.waitFor(job.id)
    expect(final.state).toBe('completed')
    expect(final).toMatchObject({ total: 1200, done: 1188, failed: 12, skipped: 0 })
    expect(processedCount(catalog)).toBe(1188)
    const errors = catalog.db.prepare('SELECT code, stage, path, job_id FROM item_errors').all()
    expect(errors).toHaveLength(12)
    expect(errors[0]).toMatchObject({ code: 'corrupt', stage: 'test', path: '/item/100', job_id: job.id })
    const log = engine.log(job.id)
    expect(log[0]?.message).toBe('started')
    expect(log.at(-1)?.message).toMatch(/completed: 1188 done, 0 skipped, 12 failed/)
    catalog.close()
  })

  it('throttles progress events to at most ~10 per second per job', async () => {
    const { catalog, engine, events } = await setup(countingHandler({ total: 20_000, batch: 1, delayMs: 0 }))
    const seen: JobDto[] = []
    events.on('jobChanged', (j) => seen.push(j))
    const started = Date.now()
    const job = engine.start({ kind: 'backup' })
    await engine.waitFor(job.id)
    const seconds = (Date.now() - started) / 1000
    // Checkpoints force an event each (one per batch here); touches alone are throttled.
    const nonForced = seen.length - 20_000
    expect(nonForced).toBeLessThanOrEqual(Math.ceil(seconds * 10) + 5)
    catalog.close()
  })

  it('cancels within a second and keeps finished work', async () => {
    const { catalog, engine } = await setup(countingHandler({ total: 100_000, batch: 100, delayMs: 20 }))
    const job = engine.start({ kind: 'backup' })
    await new Promise((r) => setTimeout(r, 300))
    const t0 = Date.now()
    engine.cancel(job.id)
    const final = await engine.waitFor(job.id)
    expect(Date.now() - t0).toBeLessThan(1000)
    expect(final.state).toBe('cancelled')
    expect(final.done).toBeGreaterThan(0)
    expect(processedCount(catalog)).toBe(final.done)
    catalog.close()
  })

  it('pauses at a checkpoint and resumes', async () => {
    const { catalog, engine } = await setup(countingHandler({ total: 3000, batch: 100, delayMs: 10 }))
    const job = engine.start({ kind: 'backup' })
    await new Promise((r) => setTimeout(r, 150))
    expect(engine.pause(job.id).state).toBe('paused')
    await new Promise((r) => setTimeout(r, 100))
    const during = processedCount(catalog)
    await new Promise((r) => setTimeout(r, 300))
    expect(processedCount(catalog)).toBe(during)
    expect(engine.get(job.id)?.state).toBe('paused')
    engine.resume(job.id)
    const final = await engine.waitFor(job.id)
    expect(final.state).toBe('completed')
    expect(processedCount(catalog)).toBe(3000)
    catalog.close()
  })

  it('leaves interrupted jobs after a crash that resume from the cursor, no item done twice', async () => {
    const file = path.join(tempDir(), 'catalog.sqlite')
    const first = await setup(countingHandler({ total: 5000, batch: 500, delayMs: 25 }), await openCatalog(file))
    const job = first.engine.start({ kind: 'backup' })
    await new Promise((r) => setTimeout(r, 60))
    // Simulate a crash: stop the handler as shutdown would, then force the row back to 'running'
    // as a dead process would have left it, and reopen.
    await first.engine.shutdown()
    first.catalog.db
      .prepare(`UPDATE jobs SET state = 'running', owner_pid = 999999999 WHERE id = ?`)
      .run(job.id)
    const doneBefore = processedCount(first.catalog)
    first.catalog.close()
    await first.pool.close()

    const second = await setup(countingHandler({ total: 5000, batch: 500 }), await openCatalog(file))
    expect(second.engine.get(job.id)?.state).toBe('interrupted')
    expect(doneBefore).toBeGreaterThan(0)
    expect(doneBefore).toBeLessThan(5000)
    second.engine.resume(job.id)
    const final = await second.engine.waitFor(job.id)
    expect(final.state).toBe('completed')
    // PRIMARY KEY on item would have thrown on a repeat; the count proves nothing was lost.
    expect(processedCount(second.catalog)).toBe(5000)
    expect(final.done).toBe(5000)
    second.catalog.close()
    await second.pool.close()
  })

  it('keeps a running job of another live process running when a second process opens', async () => {
    const file = path.join(tempDir(), 'catalog.sqlite')
    const first = await setup(countingHandler({ total: 1, batch: 1 }), await openCatalog(file))
    const job = first.engine.start({ kind: 'backup' })
    await first.engine.waitFor(job.id)
    // As if the desktop app (pid 1 here: certainly alive) were running it right now.
    first.catalog.db.prepare(`UPDATE jobs SET state = 'running', owner_pid = 1 WHERE id = ?`).run(job.id)
    const second = await setup(countingHandler({ total: 1, batch: 1 }), await openCatalog(file))
    expect(second.engine.get(job.id)?.state).toBe('running')
    first.catalog.close()
    await first.pool.close()
    await second.pool.close()
  })

  it('starts a job only after the jobs it was queued behind have finished', async () => {
    const order: string[] = []
    const handler: JobHandler<'backup'> = {
      kind: 'backup',
      async run(ctx) {
        order.push(`start ${ctx.params.reason}`)
        await new Promise((r) => setTimeout(r, 50))
        order.push(`end ${ctx.params.reason}`)
      },
    }
    const { catalog, engine } = await setup(handler)
    engine.setMaxConcurrent(2)
    const a = engine.start({ kind: 'backup', reason: 'a' })
    const b = engine.start({ kind: 'backup', reason: 'b' }, [a.id])
    await engine.waitFor(b.id)
    expect(order).toEqual(['start a', 'end a', 'start b', 'end b'])
    catalog.close()
  })

  it('honours a cancel requested by another process through the catalog', async () => {
    const { catalog, engine } = await setup(countingHandler({ total: 100_000, batch: 50, delayMs: 10 }))
    const job = engine.start({ kind: 'backup' })
    await new Promise((r) => setTimeout(r, 100))
    // What `vam jobs cancel ID` does from another process: it only sees the row.
    catalog.db.prepare(`UPDATE jobs SET requested = 'cancel' WHERE id = ?`).run(job.id)
    const final = await engine.waitFor(job.id)
    expect(final.state).toBe('cancelled')
    catalog.close()
  })

  it('fails a job whose kind has no handler, with a clear message', async () => {
    const { catalog, engine } = await setup(countingHandler({ total: 1, batch: 1 }))
    const job = engine.start({ kind: 'geohash' })
    const final = await engine.waitFor(job.id)
    expect(final.state).toBe('failed')
    expect(final.error).toMatch(/no handler for job kind "geohash"/)
    catalog.close()
  })
})

describe(WorkerPool.name, () => {
  it('fails the task of a crashed worker with worker_crash and restarts the worker', async () => {
    const pool = new WorkerPool({ spawn: nodeSpawnWorker(), size: 1 })
    try {
      const before = await pool.run('ping', { echo: 'a' })
      await expect(pool.run('ping', { echo: 'b', crash: true })).rejects.toMatchObject({
        code: 'worker_crash',
      })
      const after = await pool.run('ping', { echo: 'c' })
      expect(after.echo).toBe('c')
      expect(after.pid).not.toBe(before.pid)
    } finally {
      await pool.close()
    }
  })

  it('recycles a worker whose memory grew past the limit, without failing its task', async () => {
    const logs: string[] = []
    const pool = new WorkerPool({
      spawn: nodeSpawnWorker(),
      size: 1,
      recycleAboveBytes: 1,
      log: (m) => logs.push(m),
    })
    try {
      const first = await pool.run('ping', { echo: 'a' })
      const second = await pool.run('ping', { echo: 'b' })
      expect(second.echo).toBe('b')
      expect(second.pid).not.toBe(first.pid)
      expect(logs[0]).toMatch(/recycled at \d+ MB resident/)
    } finally {
      await pool.close()
    }
  })

  it('runs tasks on several workers at once', async () => {
    const pool = new WorkerPool({ spawn: nodeSpawnWorker(), size: 2 })
    try {
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) => pool.run('ping', { echo: String(i), delayMs: 100 })),
      )
      expect(results.map((r) => r.echo)).toEqual(['0', '1', '2', '3', '4', '5'])
      expect(new Set(results.map((r) => r.pid)).size).toBe(2)
    } finally {
      await pool.close()
    }
  })
})
