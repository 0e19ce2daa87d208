import { describe, expect, it } from 'vitest'
import { allocateDotKernel } from '../../src/core/clip/simd-kernel'
import {
  TopK,
  allocateMatrix,
  l2Normalise,
  matrixFromRows,
  rowIndex,
  rowsOf,
  scoreRows,
  scoreRowsJs,
  searchTopK,
} from '../../src/core/clip/vector-search'

/** Deterministic pseudo-random unit vectors. */
function randomUnit(dim: number, seed: number): Float32Array {
  let s = seed >>> 0
  const v = new Float32Array(dim)
  for (let i = 0; i < dim; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    v[i] = s / 2 ** 31 - 1
  }
  return l2Normalise(v)
}

/** Unit vector in the plane of e0/e1 at `degrees` from e0. */
function atAngle(dim: number, degrees: number): Float32Array {
  const v = new Float32Array(dim)
  v[0] = Math.cos((degrees * Math.PI) / 180)
  v[1] = Math.sin((degrees * Math.PI) / 180)
  return v
}

describe(l2Normalise.name, () => {
  it('scales to unit length and leaves a zero vector alone', () => {
    const v = l2Normalise(Float32Array.from([3, 4]))
    expect(Array.from(v)).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)])
    expect(Array.from(l2Normalise(new Float32Array(3)))).toEqual([0, 0, 0])
  })
})

describe(scoreRows.name, () => {
  it('matches a naive dot product for every row, including the unblocked tail', () => {
    const dim = 37 // not a multiple of 4 or 8: exercises every remainder loop
    const rows = Array.from({ length: 21 }, (_, i) => ({
      id: i + 1,
      vector: randomUnit(dim, i + 1),
    }))
    const m = matrixFromRows(dim, rows)
    const q = randomUnit(dim, 999)
    const out = new Float32Array(m.count)
    scoreRows(m, q, out)
    rows.forEach((row, r) => {
      const naive = row.vector.reduce((s, x, d) => s + x * (q[d] as number), 0)
      expect(out[r]).toBeCloseTo(naive, 5)
    })
  })

  it('scores only the allowed rows', () => {
    const m = matrixFromRows(
      4,
      [1, 2, 3].map((id) => ({ id, vector: randomUnit(4, id) })),
    )
    const out = new Float32Array(3).fill(-9)
    scoreRows(m, randomUnit(4, 5), out, Int32Array.from([1]))
    expect(out[0]).toBe(-9)
    expect(out[1]).not.toBe(-9)
    expect(out[2]).toBe(-9)
  })

  it('refuses a query of the wrong dimension', () => {
    const m = matrixFromRows(4, [{ id: 1, vector: randomUnit(4, 1) }])
    expect(() => scoreRows(m, new Float32Array(5), new Float32Array(1))).toThrow(
      /5 values, vectors have 4/,
    )
  })
})

describe('the WebAssembly SIMD kernel', () => {
  it('is available on our Node and agrees with the scalar path (all rows, listed rows)', () => {
    const dim = 512
    const count = 1003 // not a multiple of anything the kernel blocks by
    expect(allocateDotKernel(count, dim)).not.toBeNull()
    const { data, ids } = allocateMatrix(count, dim)
    for (let r = 0; r < count; r++) data.set(randomUnit(dim, r + 11), r * dim)
    const m = { dim, count, data, ids }
    const q = randomUnit(dim, 77)
    const simd = new Float32Array(count)
    const js = new Float32Array(count)
    scoreRows(m, q, simd)
    scoreRowsJs(m, q, js)
    for (let r = 0; r < count; r++) expect(simd[r]).toBeCloseTo(js[r] as number, 5)
    const listed = new Float32Array(count).fill(-9)
    scoreRows(m, q, listed, Int32Array.from([0, 500, 1002]))
    expect(listed[500]).toBeCloseTo(js[500] as number, 5)
    expect(listed[1002]).toBeCloseTo(js[1002] as number, 5)
    expect(listed[1]).toBe(-9)
  })

  it('is not used for dimensions that are not a multiple of 16 (plain arrays instead)', () => {
    expect(allocateDotKernel(10, 8)).toBeNull()
    expect(allocateMatrix(10, 8).data.buffer).toBeInstanceOf(ArrayBuffer)
  })

  it('ranks 1,000 matrix rows the same way with and without SIMD', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({
      id: i + 1,
      vector: randomUnit(32, i + 5),
    }))
    const simd = matrixFromRows(32, rows)
    const plain = { ...simd, data: Float32Array.from(simd.data) } // a copy has no kernel
    const q = randomUnit(32, 3)
    expect(searchTopK(simd, q, { k: 20 })).toEqual(
      searchTopK(plain, q, { k: 20 }).map((h) => ({ ...h, score: expect.closeTo(h.score, 5) })),
    )
  })
})

describe(TopK.name, () => {
  it('keeps the k best of a stream, best first, ties to the lower row', () => {
    const top = new TopK(3)
    const scores = [0.1, 0.9, 0.5, 0.9, -0.2, 0.7, 0.3]
    scores.forEach((s, r) => top.push(s, r))
    expect(top.sorted()).toEqual([
      { row: 1, score: 0.9 },
      { row: 3, score: 0.9 },
      { row: 5, score: expect.closeTo(0.7, 6) },
    ])
  })

  it('agrees with a full sort on random data', () => {
    const values = Array.from({ length: 500 }, (_, i) => randomUnit(1, i + 7)[0] as number)
    const top = new TopK(25)
    values.forEach((v, r) => top.push(v, r))
    const expected = values
      .map((score, row) => ({ row, score }))
      .sort((a, b) => b.score - a.score || a.row - b.row)
      .slice(0, 25)
    expect(top.sorted()).toEqual(expected)
  })
})

describe(searchTopK.name, () => {
  // Vectors at known angles from e0: cos(0°) > cos(10°) > … so the order is fixed by geometry.
  const dim = 16
  const angles = [50, 10, 170, 0, 90, 30, 120, 20]
  const m = matrixFromRows(
    dim,
    angles.map((deg, i) => ({ id: 100 + i, vector: atAngle(dim, deg) })),
  )
  const query = atAngle(dim, 0)

  it('ranks by cosine similarity', () => {
    const hits = searchTopK(m, query, { k: 4 })
    expect(hits.map((h) => h.id)).toEqual([103, 101, 107, 105]) // 0°, 10°, 20°, 30°
    expect(hits[0]?.score).toBeCloseTo(1, 6)
    expect(hits[1]?.score).toBeCloseTo(Math.cos(Math.PI / 18), 6)
  })

  it('restricts to allowed rows (a grid filter) and excludes the query photo', () => {
    const index = rowIndex(m)
    const allowed = rowsOf(index, [100, 102, 103, 104, 999])
    const hits = searchTopK(m, query, {
      k: 10,
      allowedRows: allowed,
      excludeRows: [index.get(103) as number],
    })
    expect(hits.map((h) => h.id)).toEqual([100, 104, 102]) // 50°, 90°, 170°
    expect(hits.at(-1)?.score).toBeCloseTo(Math.cos((170 * Math.PI) / 180), 6)
  })

  it('returns everything when k exceeds the count, and nothing for an empty matrix', () => {
    expect(searchTopK(m, query, { k: 100 })).toHaveLength(angles.length)
    const empty = matrixFromRows(dim, [])
    expect(searchTopK(empty, query, { k: 5 })).toEqual([])
  })

  it('finds the exact nearest neighbours among 5,000 random vectors (vs brute force)', () => {
    const rows = Array.from({ length: 5000 }, (_, i) => ({
      id: i + 1,
      vector: randomUnit(64, i * 31 + 1),
    }))
    const big = matrixFromRows(64, rows)
    const q = randomUnit(64, 424242)
    const brute = rows
      .map((r) => ({ id: r.id, score: r.vector.reduce((s, x, d) => s + x * (q[d] as number), 0) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, 10)
    const hits = searchTopK(big, q, { k: 10, scratch: new Float32Array(5000) })
    expect(hits.map((h) => h.id)).toEqual(brute.map((b) => b.id))
  })
})
