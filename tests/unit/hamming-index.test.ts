import { describe, expect, it } from 'vitest'
import {
  bruteForcePairs,
  chunkMasks,
  findPairsWithin,
  groupEqualValues,
} from '../../src/core/analysis/hamming-index'
import {
  hammingAt,
  hashColumn,
  hexAt,
  popcount32,
  setFromStored,
  setHex,
  type Hash64Column,
} from '../../src/core/analysis/hash-column'
import { plantNear, prng, randomColumns } from '../helpers/synthetic-hashes'

/** Expands the index result to row pairs "a,b" (a < b), identical-value classes included. */
function rowPairs(result: ReturnType<typeof findPairsWithin>): Set<string> {
  const { classes, pairs } = result
  const membersOf = (c: number) =>
    Array.from(classes.members.subarray(classes.start[c] as number, classes.start[c + 1] as number))
  const set = new Set<string>()
  const add = (a: number, b: number) => set.add(`${Math.min(a, b)},${Math.max(a, b)}`)
  for (let c = 0; c < classes.count; c++) {
    const m = membersOf(c)
    for (let i = 0; i < m.length; i++)
      for (let j = i + 1; j < m.length; j++) add(m[i] as number, m[j] as number)
  }
  for (let p = 0; p < pairs.count; p++) {
    for (const a of membersOf(pairs.left[p] as number)) {
      for (const b of membersOf(pairs.right[p] as number)) add(a, b)
    }
  }
  return set
}

describe('popcount32', () => {
  it('counts bits like a naive loop', () => {
    const rnd = prng(1)
    for (let i = 0; i < 2000; i++) {
      const x = rnd()
      let naive = 0
      for (let b = 0; b < 32; b++) naive += (x >>> b) & 1
      expect(popcount32(x)).toBe(naive)
    }
    expect(popcount32(0)).toBe(0)
    expect(popcount32(0xffffffff)).toBe(32)
  })
})

describe('hash columns', () => {
  it('round-trips hex, bigint and 8-byte blobs', () => {
    const col = hashColumn(4)
    setHex(col, 0, 'eb5669b7f6d90926')
    expect(hexAt(col, 0)).toBe('eb5669b7f6d90926')
    expect(setFromStored(col, 1, BigInt.asIntN(64, 0xeb5669b7f6d90926n))).toBe(true)
    expect(hexAt(col, 1)).toBe('eb5669b7f6d90926')
    expect(setFromStored(col, 2, Buffer.from('eb5669b7f6d90926', 'hex'))).toBe(true)
    expect(hexAt(col, 2)).toBe('eb5669b7f6d90926')
    expect(setFromStored(col, 3, null)).toBe(false)
    expect(hammingAt(col, 0, 1)).toBe(0)
  })
})

describe(chunkMasks.name, () => {
  it('partitions the 64 bits into disjoint chunks', () => {
    for (const m of [1, 2, 3, 6, 7, 11, 32]) {
      const chunks = chunkMasks(m)
      let hi = 0
      let lo = 0
      for (const c of chunks) {
        expect(hi & c.maskHi).toBe(0)
        expect(lo & c.maskLo).toBe(0)
        hi |= c.maskHi
        lo |= c.maskLo
      }
      expect(hi >>> 0).toBe(0xffffffff)
      expect(lo >>> 0).toBe(0xffffffff)
    }
  })
})

describe(findPairsWithin.name, () => {
  it.each([
    { seed: 11, n: 3000, thresholds: [5, 5] },
    { seed: 12, n: 2000, thresholds: [5] },
    { seed: 13, n: 2000, thresholds: [2, 2, 2, 2] },
    { seed: 14, n: 1500, thresholds: [0, 3] },
    { seed: 15, n: 1500, thresholds: [8, 1] },
  ])(
    'finds exactly the brute-force pairs (seed $seed, thresholds $thresholds)',
    ({ seed, n, thresholds }) => {
      const rnd = prng(seed)
      const columns = randomColumns(n, thresholds.length, rnd)
      // Planted near pairs and small clusters at and around the threshold, plus identical rows.
      for (let i = 0; i < n / 10; i++) {
        const from = rnd() % n
        const to = rnd() % n
        if (from === to) continue
        columns.forEach((col, k) => {
          const t = thresholds[k] as number
          plantNear(col, from, to, Math.min(63, rnd() % (t + 3)), rnd)
        })
      }
      for (let i = 0; i < 20; i++) {
        const from = rnd() % n
        const to = rnd() % n
        for (const col of columns) plantNear(col, from, to, 0, rnd)
      }
      const rows = Int32Array.from({ length: n }, (_, i) => i)
      const brute = bruteForcePairs(columns, thresholds, rows)
      const expected = new Set(brute.left.map((a, i) => `${a},${brute.right[i]}`))
      const result = findPairsWithin({ columns, thresholds })
      const got = rowPairs(result)
      expect(expected.size).toBeGreaterThan(40)
      expect([...got].filter((p) => !expected.has(p))).toEqual([])
      expect([...expected].filter((p) => !got.has(p))).toEqual([])
      // Each class pair is reported once.
      const keys = new Set<string>()
      for (let p = 0; p < result.pairs.count; p++)
        keys.add(`${result.pairs.left[p]},${result.pairs.right[p]}`)
      expect(keys.size).toBe(result.pairs.count)
    },
  )

  it('reports the distances of each pair per column', () => {
    const rnd = prng(3)
    const columns = randomColumns(50, 2, rnd)
    plantNear(columns[0] as Hash64Column, 0, 1, 3, rnd)
    plantNear(columns[1] as Hash64Column, 0, 1, 4, rnd)
    const { pairs, classes } = findPairsWithin({ columns, thresholds: [5, 5] })
    const p = Array.from(pairs.left).findIndex(
      (l, i) =>
        classes.members[classes.start[l] as number] === 0 && pairs.right[i] === classes.classOf[1],
    )
    expect(p).toBeGreaterThanOrEqual(0)
    expect(pairs.distances[0]?.[p]).toBe(3)
    expect(pairs.distances[1]?.[p]).toBe(4)
  })

  it('indexes only the given rows', () => {
    const rnd = prng(4)
    const columns = randomColumns(100, 2, rnd)
    for (const col of columns) plantNear(col, 10, 20, 1, rnd)
    for (const col of columns) plantNear(col, 30, 40, 1, rnd)
    const result = findPairsWithin({
      columns,
      thresholds: [5, 5],
      rows: Int32Array.from([10, 20, 30]),
    })
    expect(rowPairs(result)).toEqual(new Set(['10,20']))
  })

  it('handles 5,000 identical hashes as one class without pair explosion', () => {
    const rnd = prng(5)
    const n = 20_000
    const columns = randomColumns(n, 2, rnd)
    for (let i = 1; i < 5000; i++) for (const col of columns) plantNear(col, 0, i, 0, rnd)
    const result = findPairsWithin({ columns, thresholds: [5, 5] })
    expect(result.classes.count).toBe(n - 4999)
    const big = result.classes.classOf[0] as number
    expect((result.classes.start[big + 1] as number) - (result.classes.start[big] as number)).toBe(
      5000,
    )
    // Work stays near-linear: far fewer verifications than the 12.5 M pairs inside the cluster.
    expect(result.pairs.verified).toBeLessThan(n * 5)
  })
})

describe(groupEqualValues.name, () => {
  it('groups identical tuples only', () => {
    const col = hashColumn(5)
    for (const [i, hex] of [
      '00000000000000ff',
      '00000000000000ff',
      '00000000000000fe',
      'ff',
      'ff',
    ].entries()) {
      setHex(col, i, hex.padStart(16, '0'))
    }
    const other = hashColumn(5)
    setHex(other, 4, '0000000000000001')
    const classes = groupEqualValues([col, other], Int32Array.from([0, 1, 2, 3, 4]))
    expect(classes.count).toBe(3)
    expect(classes.classOf[0]).toBe(classes.classOf[1])
    expect(classes.classOf[1]).toBe(classes.classOf[3])
    expect(classes.classOf[4]).not.toBe(classes.classOf[3])
  })
})
