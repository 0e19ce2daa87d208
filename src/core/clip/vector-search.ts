import { allocateDotKernel, type DotKernel } from './simd-kernel'

/**
 * Exact nearest-neighbour search over L2-normalised float32 vectors held in one contiguous
 * Float32Array (row-major, `count × dim`). Cosine similarity is the dot product of unit vectors.
 * Scoring runs in the WebAssembly SIMD kernel when the matrix was allocated by allocateMatrix
 * (100k × 512 in ~10–30 ms on one core), else in blocked JS (~40–90 ms); an ANN index only pays
 * off well past a million vectors (see bench/search.bench.ts).
 */

/** Vectors of one model: row `r` is `data[r*dim .. r*dim+dim)` and belongs to photo `ids[r]`. */
export interface VectorMatrix {
  readonly dim: number
  readonly count: number
  readonly data: Float32Array
  readonly ids: Int32Array
}

export interface ScoredId {
  readonly id: number
  readonly score: number
}

/** Scales `v` to unit length in place (a zero vector stays zero) and returns it. */
export function l2Normalise(v: Float32Array): Float32Array {
  let sum = 0
  for (let i = 0; i < v.length; i++) sum += (v[i] as number) * (v[i] as number)
  if (sum === 0) return v
  const inv = 1 / Math.sqrt(sum)
  for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) * inv
  return v
}

/** Matrices whose data lives in a SIMD kernel's memory (keyed by the data array itself). */
const kernels = new WeakMap<Float32Array, DotKernel>()

/**
 * Storage for `capacity` vectors of `dim` floats, zero-filled: in WebAssembly memory with the
 * SIMD kernel attached when possible, else a plain Float32Array. Fill `data`, then build the
 * VectorMatrix with this same `data` object (a `count` below the capacity is fine).
 */
export function allocateMatrix(
  capacity: number,
  dim: number,
): { data: Float32Array; ids: Int32Array } {
  const kernel = allocateDotKernel(capacity, dim)
  const data = kernel ? kernel.matrix : new Float32Array(capacity * dim)
  if (kernel) kernels.set(data, kernel)
  return { data, ids: new Int32Array(capacity) }
}

/** Builds a matrix from rows (copies); every row must have `dim` values. */
export function matrixFromRows(
  dim: number,
  rows: readonly { id: number; vector: Float32Array }[],
): VectorMatrix {
  const { data, ids } = allocateMatrix(rows.length, dim)
  rows.forEach((row, r) => {
    if (row.vector.length !== dim) {
      throw new Error(`vector of photo ${row.id} has ${row.vector.length} values, expected ${dim}`)
    }
    data.set(row.vector, r * dim)
    ids[r] = row.id
  })
  return { dim, count: rows.length, data, ids }
}

/** Dot product of one row with the query; 4 accumulators so V8 keeps the FPU pipelines busy. */
function dotRow(data: Float32Array, base: number, q: Float32Array, dim: number): number {
  let s0 = 0
  let s1 = 0
  let s2 = 0
  let s3 = 0
  let d = 0
  for (; d + 4 <= dim; d += 4) {
    const i = base + d
    s0 += (data[i] as number) * (q[d] as number)
    s1 += (data[i + 1] as number) * (q[d + 1] as number)
    s2 += (data[i + 2] as number) * (q[d + 2] as number)
    s3 += (data[i + 3] as number) * (q[d + 3] as number)
  }
  for (; d < dim; d++) s0 += (data[base + d] as number) * (q[d] as number)
  return s0 + s1 + s2 + s3
}

/**
 * Scores of every row (or only `rows`) against `query` into `out` (indexed by row): the SIMD
 * kernel when the matrix has one, else scalar JS.
 */
export function scoreRows(
  m: VectorMatrix,
  query: Float32Array,
  out: Float32Array,
  rows?: Int32Array,
): void {
  const scores = kernelScores(m, query, rows)
  if (!scores) {
    scoreRowsJs(m, query, out, rows)
  } else if (rows) {
    for (let k = 0; k < rows.length; k++)
      out[rows[k] as number] = scores[rows[k] as number] as number
  } else {
    out.set(scores.subarray(0, m.count))
  }
}

/** Runs the SIMD kernel if the matrix has one; returns its score buffer (indexed by row), or null. */
function kernelScores(
  m: VectorMatrix,
  query: Float32Array,
  rows?: Int32Array,
): Float32Array | null {
  const kernel = kernels.get(m.data)
  if (!kernel) return null
  if (query.length !== m.dim)
    throw new Error(`query has ${query.length} values, vectors have ${m.dim}`)
  kernel.score(query, m.count, rows)
  return kernel.scores
}

/**
 * The scalar path. Blocked by 8 rows: each query value is loaded once per block and reused for
 * 8 rows, which measured ~1.6× faster than row-at-a-time in V8.
 */
export function scoreRowsJs(
  m: VectorMatrix,
  query: Float32Array,
  out: Float32Array,
  rows?: Int32Array,
): void {
  const { data, dim } = m
  if (query.length !== dim) throw new Error(`query has ${query.length} values, vectors have ${dim}`)
  if (rows) {
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k] as number
      out[r] = dotRow(data, r * dim, query, dim)
    }
    return
  }
  const n = m.count
  let r = 0
  for (; r + 8 <= n; r += 8) {
    let s0 = 0
    let s1 = 0
    let s2 = 0
    let s3 = 0
    let s4 = 0
    let s5 = 0
    let s6 = 0
    let s7 = 0
    const b = r * dim
    for (let d = 0; d < dim; d++) {
      const x = query[d] as number
      let i = b + d
      s0 += (data[i] as number) * x
      i += dim
      s1 += (data[i] as number) * x
      i += dim
      s2 += (data[i] as number) * x
      i += dim
      s3 += (data[i] as number) * x
      i += dim
      s4 += (data[i] as number) * x
      i += dim
      s5 += (data[i] as number) * x
      i += dim
      s6 += (data[i] as number) * x
      i += dim
      s7 += (data[i] as number) * x
    }
    out[r] = s0
    out[r + 1] = s1
    out[r + 2] = s2
    out[r + 3] = s3
    out[r + 4] = s4
    out[r + 5] = s5
    out[r + 6] = s6
    out[r + 7] = s7
  }
  for (; r < n; r++) out[r] = dotRow(data, r * dim, query, dim)
}

/**
 * A bounded min-heap keeping the `k` best (score, row) pairs seen. Ties keep the lower row (the
 * older photo) so results are stable between runs.
 */
export class TopK {
  private readonly scores: Float64Array
  private readonly rows: Int32Array
  private size = 0

  constructor(readonly k: number) {
    this.scores = new Float64Array(Math.max(1, k))
    this.rows = new Int32Array(Math.max(1, k))
  }

  /** Lowest kept score, or -Infinity while not full: rows scoring ≤ this cannot enter. */
  get threshold(): number {
    return this.size < this.k ? -Infinity : (this.scores[0] as number)
  }

  push(score: number, row: number): void {
    if (this.k <= 0) return
    if (this.size < this.k) {
      this.siftUp(this.size++, score, row)
    } else if (this.better(score, row, this.scores[0] as number, this.rows[0] as number)) {
      this.siftDown(score, row)
    }
  }

  /** Best first. */
  sorted(): { row: number; score: number }[] {
    const out: { row: number; score: number }[] = []
    for (let i = 0; i < this.size; i++)
      out.push({ row: this.rows[i] as number, score: this.scores[i] as number })
    return out.sort((a, b) => b.score - a.score || a.row - b.row)
  }

  /** Is (s1, r1) better than (s2, r2)? */
  private better(s1: number, r1: number, s2: number, r2: number): boolean {
    return s1 > s2 || (s1 === s2 && r1 < r2)
  }

  private siftUp(i: number, score: number, row: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1
      const ps = this.scores[parent] as number
      const pr = this.rows[parent] as number
      if (!this.better(ps, pr, score, row)) break
      this.scores[i] = ps
      this.rows[i] = pr
      i = parent
    }
    this.scores[i] = score
    this.rows[i] = row
  }

  private siftDown(score: number, row: number): void {
    let i = 0
    const n = this.size
    for (;;) {
      const left = 2 * i + 1
      if (left >= n) break
      const right = left + 1
      let worst = left
      if (
        right < n &&
        this.better(
          this.scores[left] as number,
          this.rows[left] as number,
          this.scores[right] as number,
          this.rows[right] as number,
        )
      ) {
        worst = right
      }
      const ws = this.scores[worst] as number
      const wr = this.rows[worst] as number
      if (!this.better(score, row, ws, wr)) break
      this.scores[i] = ws
      this.rows[i] = wr
      i = worst
    }
    this.scores[i] = score
    this.rows[i] = row
  }
}

export interface SearchOptions {
  readonly k: number
  /** Rows allowed (a grid filter's photos); absent = all rows. */
  readonly allowedRows?: Int32Array
  /** Rows never returned (e.g. the query photo itself in "more like this"). */
  readonly excludeRows?: readonly number[]
  /** Scratch buffer of ≥ count floats, reused between queries to avoid a 4 MB allocation each time. */
  readonly scratch?: Float32Array
}

/** The `k` rows most similar to `query` (unit length), best first, as photo ids with scores. */
export function searchTopK(
  m: VectorMatrix,
  query: Float32Array,
  options: SearchOptions,
): ScoredId[] {
  // The kernel's own score buffer when there is one (no copy), else the scratch buffer.
  let scores = kernelScores(m, query, options.allowedRows)
  if (!scores) {
    scores =
      options.scratch && options.scratch.length >= m.count
        ? options.scratch
        : new Float32Array(m.count)
    scoreRowsJs(m, query, scores, options.allowedRows)
  }
  const exclude = new Set(options.excludeRows ?? [])
  const top = new TopK(options.k + exclude.size)
  const visit = (r: number) => {
    const s = scores[r] as number
    if (s >= top.threshold) top.push(s, r)
  }
  if (options.allowedRows) {
    for (let k = 0; k < options.allowedRows.length; k++) visit(options.allowedRows[k] as number)
  } else {
    for (let r = 0; r < m.count; r++) visit(r)
  }
  return top
    .sorted()
    .filter(({ row }) => !exclude.has(row))
    .slice(0, options.k)
    .map(({ row, score }) => ({ id: m.ids[row] as number, score }))
}

/** Row index of each photo id (ids are unique per model). */
export function rowIndex(m: VectorMatrix): Map<number, number> {
  const index = new Map<number, number>()
  for (let r = 0; r < m.count; r++) index.set(m.ids[r] as number, r)
  return index
}

/** Rows of the ids that have a vector, ascending (for `allowedRows`). */
export function rowsOf(index: ReadonlyMap<number, number>, ids: Iterable<number>): Int32Array {
  const rows: number[] = []
  for (const id of ids) {
    const r = index.get(id)
    if (r !== undefined) rows.push(r)
  }
  return Int32Array.from(rows).sort()
}

/** The vector of row `r` (a view, not a copy). */
export function rowVector(m: VectorMatrix, r: number): Float32Array {
  return m.data.subarray(r * m.dim, (r + 1) * m.dim)
}
