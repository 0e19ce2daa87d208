import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  DEFAULT_BURST_OPTIONS,
  detectBursts,
  recomputeBurstsInWindows,
  sortFrames,
  touchedWindows,
  type BurstColumns,
} from '../src/core/analysis/bursts'
import {
  formatCode,
  planDuplicateGroups,
  type DuplicatePlanInput,
} from '../src/core/analysis/duplicate-plan'
import { bruteForcePairs, findPairsWithin } from '../src/core/analysis/hamming-index'
import { hashColumn, type Hash64Column } from '../src/core/analysis/hash-column'
import { HASH_ALGO_VERSION } from '../src/core/analysis/hashes'
import { DEFAULT_DUPLICATE_OPTIONS } from '../src/core/analysis/near-duplicates'
import { openEngine } from '../src/core/engine'
import { copyRow, fillRandom, flipBits, prng } from '../tests/helpers/synthetic-hashes'
import { reportBench } from './report'

/**
 * `npm run bench -- dupes [--quick]`
 *
 * Synthetic hash tables of 100,000 and 1,000,000 photos: random 64-bit hashes, planted
 * near-duplicate clusters (2–6 photos, each within 2 bits of its cluster's base on aHash and
 * dHash, so every pair is within 4), planted byte copies, planted low-information duplicate pairs,
 * and one 5,000-photo low-information cluster with saturated hashes (wHash all ones, aHash almost
 * all ones, dHash noise — the seed's over-exposure bucket). Measured end to end: burst detection
 * (for exclusion), candidates, consensus, grouping, best copy and reasons, with the share of
 * planted pairs found. Brute force over a 20k sample gives the ratio. Bursts over 1M frames, the
 * incremental window pass, and the real job over a 100k-photo SQLite catalog.
 */

interface Synthetic {
  readonly input: DuplicatePlanInput
  /** Planted pairs that must be found, as row pairs. */
  readonly planted: [number, number][]
  /** Rows of the 5,000-photo saturated low-information cluster. */
  readonly lowInfoCluster: ReadonlySet<number>
  readonly burstFrames: number
}

/** A synthetic catalog of n photos (deterministic for a seed). */
export function syntheticCatalog(n: number, seed = 1): Synthetic {
  const rnd = prng(seed)
  const a = hashColumn(n)
  const d = hashColumn(n)
  const p = hashColumn(n)
  const w = hashColumn(n)
  const cols = [a, d, p, w]
  for (const c of cols) fillRandom(c, rnd)
  const ids = Int32Array.from({ length: n }, (_, i) => i + 1)
  const contentClass = new Int32Array(n).fill(-1)
  const lowInfo = new Uint8Array(n)
  const mean = new Float32Array(n)
  const std = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    mean[i] = 40 + (rnd() % 170)
    std[i] = 20 + (rnd() % 50)
  }
  // Capture times: one photo every ~40 s on average over 20 cameras; planted bursts below.
  const camera = new Int32Array(n)
  const takenAtMs = new Float64Array(n)
  const t0 = Date.UTC(2015, 0, 1)
  let t = t0
  for (let i = 0; i < n; i++) {
    t += 5_000 + (rnd() % 70_000)
    takenAtMs[i] = t
    camera[i] = rnd() % 20
  }
  const planted: [number, number][] = []
  const used = new Uint8Array(n)
  const pick = () => {
    for (;;) {
      const r = rnd() % n
      if (!used[r]) {
        used[r] = 1
        return r
      }
    }
  }
  // The 5,000-photo low-information cluster (saturated hashes).
  const lowInfoRows = new Set<number>()
  for (let k = 0; k < 5000; k++) {
    const r = pick()
    lowInfoRows.add(r)
    lowInfo[r] = 1
    w.hi[r] = 0xffffffff
    w.lo[r] = 0xffffffff
    a.hi[r] = 0xffffffff
    a.lo[r] = 0xffffffff
    flipBits(a, r, 8, rnd)
    mean[r] = 246 + (rnd() % 8)
    std[r] = 1 + (rnd() % 4)
  }
  // Planted low-information duplicates: all four hashes within 2, same brightness.
  for (let k = 0; k < 20; k++) {
    const x = pick()
    const y = pick()
    lowInfo[x] = 1
    lowInfo[y] = 1
    mean[x] = 8
    std[x] = 3
    copyRow(cols, x, y)
    flipBits(a, y, 1, rnd)
    flipBits(d, y, 1, rnd)
    mean[y] = 9
    std[y] = 3
    planted.push([Math.min(x, y), Math.max(x, y)])
  }
  // Planted near-duplicate clusters over ~2% of the photos.
  const clusters = Math.floor((n * 0.02) / 4)
  for (let k = 0; k < clusters; k++) {
    const size = 2 + (rnd() % 5)
    const base = pick()
    const members = [base]
    for (let m = 1; m < size; m++) {
      const r = pick()
      copyRow(cols, base, r)
      flipBits(a, r, rnd() % 3, rnd)
      flipBits(d, r, rnd() % 3, rnd)
      flipBits(p, r, rnd() % 6, rnd)
      flipBits(w, r, rnd() % 8, rnd)
      mean[r] = mean[base] as number
      std[r] = std[base] as number
      // Every few clusters also carries a byte copy (same content class).
      if (m === 1 && k % 5 === 0) {
        copyRow(cols, base, r)
        contentClass[base] = k
        contentClass[r] = k
      }
      members.push(r)
    }
    // Not frames of one burst: different cameras.
    members.forEach((r, i) => (camera[r] = (camera[base] as number) + i * 1000))
    for (let x = 0; x < members.length; x++) {
      for (let y = x + 1; y < members.length; y++) {
        const u = members[x] as number
        const v = members[y] as number
        planted.push([Math.min(u, v), Math.max(u, v)])
      }
    }
  }
  // Bursts: runs of 3–8 frames, 1 s apart, from one camera (~1% of photos). Frames of a burst
  // look alike (hashes within 1–3 bits), so they would pair up if bursts were not excluded.
  let burstFrames = 0
  for (let k = 0; k < n / 500; k++) {
    const start = rnd() % (n - 10)
    const len = 3 + (rnd() % 6)
    let ok = true
    for (let j = 0; j < len; j++) ok &&= !used[start + j]
    if (!ok) continue
    for (let j = 0; j < len; j++) {
      used[start + j] = 1
      if (j === 0) continue
      camera[start + j] = camera[start] as number
      takenAtMs[start + j] = (takenAtMs[start] as number) + j * 1000
      copyRow(cols, start, start + j)
      flipBits(a, start + j, rnd() % 2, rnd)
      flipBits(d, start + j, 1 + (rnd() % 2), rnd)
      mean[start + j] = mean[start] as number
      std[start + j] = std[start] as number
    }
    burstFrames += len
  }
  const frames: BurstColumns = {
    ids,
    camera,
    takenAtMs,
    lat: new Float64Array(n).fill(Number.NaN),
    lon: new Float64Array(n).fill(Number.NaN),
    content: contentClass,
    sharpness: Float32Array.from({ length: n }, () => rnd() % 1000),
    exposure: Float32Array.from({ length: n }, () => (rnd() % 100) / 100),
    score: Float32Array.from({ length: n }, () => rnd() % 100),
    excluded: new Uint8Array(n),
  }
  const input: DuplicatePlanInput = {
    rows: {
      ids,
      contentClass,
      hashed: new Uint8Array(n).fill(1),
      ahash: a,
      dhash: d,
      phash: p,
      whash: w,
      lowInfo,
      mean,
      std,
    },
    facts: {
      format: new Uint8Array(n).fill(formatCode('jpeg')),
      width: new Int32Array(n).fill(4000),
      height: new Int32Array(n).fill(3000),
      size: Float64Array.from({ length: n }, () => 2_000_000 + (rnd() % 3_000_000)),
      hasDate: new Uint8Array(n).fill(1),
      hasGps: new Uint8Array(n),
      quality: frames.score,
    },
    frames,
    separated: new Int32Array(0),
    options: DEFAULT_DUPLICATE_OPTIONS,
    burstOptions: DEFAULT_BURST_OPTIONS,
  }
  return { input, planted, lowInfoCluster: lowInfoRows, burstFrames }
}

/** Wall-clock and CPU ms of `fn` (CPU time tells a busy shared machine from slow code). */
function timed<T>(fn: () => T): { value: T; ms: number; cpuMs: number } {
  const cpu = process.cpuUsage()
  const started = performance.now()
  const value = fn()
  const used = process.cpuUsage(cpu)
  return { value, ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 }
}

function endToEnd(n: number) {
  const synthetic = syntheticCatalog(n)
  const { value: plan, ms, cpuMs } = timed(() => planDuplicateGroups(synthetic.input))
  const groupOf = new Map<number, number>()
  plan.groups.forEach((g, i) => {
    for (const m of g.members) groupOf.set(m.photoId - 1, i)
  })
  const found = synthetic.planted.filter(([x, y]) => {
    const gx = groupOf.get(x)
    return gx !== undefined && gx === groupOf.get(y)
  }).length
  // Groups that contain any photo of the saturated cluster (must be none).
  const clusterGroups = plan.groups.filter((g) =>
    g.members.some((m) => synthetic.lowInfoCluster.has(m.photoId - 1)),
  ).length
  const burstGroups = plan.groups.filter((g) => {
    const frames = g.members.map((m) => m.photoId - 1)
    const burstOf = (r: number) => synthetic.input.frames.takenAtMs[r]
    return frames.some((x) =>
      frames.some(
        (y) => x !== y && Math.abs((burstOf(x) as number) - (burstOf(y) as number)) < 10_000,
      ),
    )
  }).length
  return {
    ms,
    cpuMs,
    plan,
    plantedPairs: synthetic.planted.length,
    found,
    clusterGroups,
    burstGroups,
    burstFrames: synthetic.burstFrames,
  }
}

/** Brute force vs the index on the same sample (aHash AND dHash ≤ 5). */
function bruteVsIndex(sample: number) {
  const { input } = syntheticCatalog(sample, 7)
  const columns = [input.rows.ahash, input.rows.dhash]
  const rows = Int32Array.from({ length: sample }, (_, i) => i)
  let started = performance.now()
  const brute = bruteForcePairs(columns, [5, 5], rows)
  const bruteMs = performance.now() - started
  started = performance.now()
  const indexed = findPairsWithin({ columns, thresholds: [5, 5], rows })
  const indexMs = performance.now() - started
  // Index pairs are between distinct values; expand identical classes to compare counts.
  let indexPairs = indexed.pairs.count
  for (let c = 0; c < indexed.classes.count; c++) {
    const size = (indexed.classes.start[c + 1] as number) - (indexed.classes.start[c] as number)
    indexPairs += (size * (size - 1)) / 2
  }
  for (let q = 0; q < indexed.pairs.count; q++) {
    const size = (c: number) =>
      (indexed.classes.start[c + 1] as number) - (indexed.classes.start[c] as number)
    indexPairs += size(indexed.pairs.left[q] as number) * size(indexed.pairs.right[q] as number) - 1
  }
  return { bruteMs, indexMs, brutePairs: brute.left.length, indexPairs }
}

function burstsAt(n: number) {
  const { input } = syntheticCatalog(n, 3)
  const frames = input.frames
  const full = timed(() => detectBursts(frames))
  const bursts = full.value
  // Incremental: 1,000 new photos spread over the timeline; frames served from a sorted index
  // (the catalog's taken_at index plays this part in the job).
  const order = sortFrames(frames)
  const byTime = Array.from(order).sort(
    (x, y) => (frames.takenAtMs[x] as number) - (frames.takenAtMs[y] as number),
  )
  const times = byTime.map((r) => frames.takenAtMs[r] as number)
  const lowerBound = (t: number) => {
    let lo = 0
    let hi = times.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((times[mid] as number) < t) lo = mid + 1
      else hi = mid
    }
    return lo
  }
  const touched = Array.from(
    { length: 1000 },
    (_, i) => times[Math.floor((i * times.length) / 1000)] as number,
  )
  const started = performance.now()
  const results = recomputeBurstsInWindows(
    touchedWindows(touched, DEFAULT_BURST_OPTIONS.gapSeconds),
    (startMs, endMs) => {
      const rows = byTime.slice(lowerBound(startMs), lowerBound(endMs + 1))
      const pickCol = <T extends Float64Array | Float32Array | Int32Array | Uint8Array>(col: T) =>
        col.constructor === Float64Array
          ? (Float64Array.from(rows, (r) => col[r] as number) as T)
          : col.constructor === Float32Array
            ? (Float32Array.from(rows, (r) => col[r] as number) as T)
            : col.constructor === Int32Array
              ? (Int32Array.from(rows, (r) => col[r] as number) as T)
              : (Uint8Array.from(rows, (r) => col[r] as number) as T)
      return {
        ids: pickCol(frames.ids),
        camera: pickCol(frames.camera),
        takenAtMs: pickCol(frames.takenAtMs),
        lat: pickCol(frames.lat),
        lon: pickCol(frames.lon),
        content: pickCol(frames.content),
        sharpness: pickCol(frames.sharpness),
        exposure: pickCol(frames.exposure),
        score: pickCol(frames.score),
        excluded: pickCol(frames.excluded),
      }
    },
  )
  const incrementalMs = performance.now() - started
  return {
    fullMs: full.ms,
    fullCpuMs: full.cpuMs,
    bursts: bursts.length,
    incrementalMs,
    windows: results.length,
  }
}

/** The real job over a real SQLite catalog: read pages, compute, write groups. */
export async function jobOnCatalog(n: number) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vam-bench-dupes-'))
  const engine = await openEngine(path.join(dir, 'catalog.sqlite'), { workerCount: 1 })
  try {
    const { input } = syntheticCatalog(n, 11)
    const db = engine.catalog.db
    const insertPhoto = db.prepare(
      `INSERT INTO photos (id, path, folder, name, size, mtime_ms, checksum, format, width, height,
         taken_at, date_source, make, model, imported_at)
       VALUES (?, ?, '/bench', ?, ?, 1, ?, 'jpeg', 4000, 3000, ?, 'exif-original', 'Cam', ?, 'now')`,
    )
    const insertHash = db.prepare(
      `INSERT INTO hashes (photo_id, ahash, dhash, phash, whash, algo_version, low_information,
         grey_mean, grey_stddev, source_mtime_ms, computed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 'now')`,
    )
    const signed = (c: Hash64Column, i: number) =>
      BigInt.asIntN(64, (BigInt(c.hi[i] as number) << 32n) | BigInt(c.lo[i] as number))
    const r = input.rows
    db.transaction(() => {
      for (let i = 0; i < n; i++) {
        const id = i + 1
        const content = r.contentClass[i] as number
        insertPhoto.run(
          id,
          `/bench/${id}.jpg`,
          `${id}.jpg`,
          input.facts.size[i],
          content >= 0 ? `copy-${content}` : `sum-${id}`,
          new Date(input.frames.takenAtMs[i] as number).toISOString().slice(0, 19),
          `M${input.frames.camera[i]}`,
        )
        insertHash.run(
          id,
          signed(r.ahash, i),
          signed(r.dhash, i),
          signed(r.phash, i),
          signed(r.whash, i),
          HASH_ALGO_VERSION,
          r.lowInfo[i],
          r.mean[i],
          r.std[i],
        )
      }
    })()
    const started = performance.now()
    const job = await engine.jobs.waitFor(engine.jobs.start({ kind: 'duplicates' }).id)
    const ms = performance.now() - started
    const groups = db.prepare(`SELECT COUNT(*) FROM dup_groups WHERE status = 'open'`).pluck().get()
    const log = engine.jobs
      .log(job.id)
      .map((l) => l.message)
      .filter((m) => /read|written/.test(m))
    return { ms, state: job.state, groups: groups as number, log }
  } finally {
    await engine.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

export async function run(): Promise<void> {
  const quick = process.argv.includes('--quick')
  const rows: Record<string, string | number>[] = []
  const loadBefore = os.loadavg()[0] as number
  // Warm-up: the first call compiles every function; measure the steady state, as the job sees
  // it after the first page.
  planDuplicateGroups(syntheticCatalog(20_000, 99).input)
  const sizes = quick ? [100_000] : [100_000, 1_000_000]
  const goals: Record<number, number> = { 100_000: 2000, 1_000_000: 30_000 }
  const results: Record<string, unknown> = {}
  for (const n of sizes) {
    const r = endToEnd(n)
    const s = r.plan.stats
    rows.push({
      measure: `near+exact duplicates, ${n.toLocaleString('en')} photos (end to end)`,
      ms: Math.round(r.ms),
      cpu_ms: Math.round(r.cpuMs),
      goal_ms: goals[n] ?? 0,
      planted_found: `${((100 * r.found) / r.plantedPairs).toFixed(2)}% of ${r.plantedPairs}`,
      detail:
        `${s.candidatePairs} candidate pairs → ${s.acceptedPairs} accepted ` +
        `(${s.evidencePairs} on pHash+wHash evidence), ${r.plan.groups.length} groups; ` +
        `${s.burstPairsExcluded} burst-frame pairs excluded (${r.burstFrames} frames, ` +
        `${r.burstGroups} groups mixing frames); 5,000 low-information cluster: ` +
        `${r.clusterGroups} groups`,
    })
    results[`n${n}`] = { ms: r.ms, found: r.found, planted: r.plantedPairs, stats: s }
    if (r.found !== r.plantedPairs)
      console.error(`MISSED ${r.plantedPairs - r.found} planted pairs at ${n}`)
  }
  const sample = 20_000
  const b = bruteVsIndex(sample)
  const perPair = b.bruteMs / ((sample * (sample - 1)) / 2)
  for (const n of sizes) {
    const extrapolated = perPair * ((n * (n - 1)) / 2)
    const measured = (results[`n${n}`] as { ms: number }).ms
    rows.push({
      measure: `brute force all pairs, ${n.toLocaleString('en')} (extrapolated from 20k)`,
      ms: Math.round(extrapolated),
      cpu_ms: '-',
      goal_ms: 0,
      planted_found: '-',
      detail: `index end to end is ${(extrapolated / measured).toFixed(0)}× faster`,
    })
  }
  rows.push({
    measure: `brute force vs index on a ${sample.toLocaleString('en')} sample (aHash AND dHash ≤ 5)`,
    ms: Math.round(b.bruteMs),
    cpu_ms: '-',
    goal_ms: 0,
    planted_found:
      b.brutePairs === b.indexPairs ? 'same pairs' : `MISMATCH ${b.brutePairs}/${b.indexPairs}`,
    detail: `index ${b.indexMs.toFixed(0)} ms: ${(b.bruteMs / b.indexMs).toFixed(0)}× faster`,
  })
  const bursts = burstsAt(quick ? 100_000 : 1_000_000)
  rows.push({
    measure: `bursts, ${(quick ? 100_000 : 1_000_000).toLocaleString('en')} frames (full pass)`,
    ms: Math.round(bursts.fullMs),
    cpu_ms: Math.round(bursts.fullCpuMs),
    goal_ms: 5000,
    planted_found: '-',
    detail: `${bursts.bursts} bursts`,
  })
  rows.push({
    measure: 'bursts, incremental: 1,000 new photos',
    ms: Math.round(bursts.incrementalMs),
    cpu_ms: '-',
    goal_ms: 0,
    planted_found: '-',
    detail: `${bursts.windows} windows recomputed`,
  })
  const job = await jobOnCatalog(100_000)
  rows.push({
    measure: 'duplicates job on a 100,000-photo SQLite catalog (read + compute + write)',
    ms: Math.round(job.ms),
    cpu_ms: '-',
    goal_ms: 0,
    planted_found: '-',
    detail: `${job.state}, ${job.groups} open groups; ${job.log.map((m) => m.replace(/^.*; (read)/, '$1')).join('; ')}`,
  })
  rows.push({
    measure: 'machine load average (1 min) before / after — a shared 2-core machine',
    ms: '-',
    cpu_ms: '-',
    goal_ms: 0,
    planted_found: '-',
    detail: `${loadBefore.toFixed(1)} / ${(os.loadavg()[0] as number).toFixed(1)}`,
  })
  reportBench('dupes', rows)
}
