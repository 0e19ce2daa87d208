import { describe, expect, it } from 'vitest'
import {
  SeparatedPairs,
  contentClassesFromChecksums,
} from '../../src/core/analysis/exact-duplicates'
import { hashColumn, type Hash64Column } from '../../src/core/analysis/hash-column'
import {
  DEFAULT_DUPLICATE_OPTIONS,
  describeMatch,
  findDuplicateGroups,
  greedyCliques,
  type DuplicateInput,
} from '../../src/core/analysis/near-duplicates'
import { prng } from '../helpers/synthetic-hashes'

interface Spec {
  id: number
  /** [hi, lo] per hash; defaults random. */
  a?: [number, number]
  d?: [number, number]
  p?: [number, number]
  w?: [number, number]
  checksum?: string
  lowInfo?: boolean
  mean?: number
  std?: number
  burst?: number
  hashed?: boolean
}

/** Balanced random words: about half the bits set, so hashes are not degenerate. */
function balanced(rnd: () => number): [number, number] {
  return [rnd() >>> 0, rnd() >>> 0]
}

/**
 * Four random hashes (a, d, p, w, drawn in that order) from a seed: a test's base photo. Tests
 * that take only a and d get the same values as drawing just those two.
 */
function seededHashes(seed: number): Record<'a' | 'd' | 'p' | 'w', [number, number]> {
  const rnd = prng(seed)
  return { a: balanced(rnd), d: balanced(rnd), p: balanced(rnd), w: balanced(rnd) }
}

function flip([hi, lo]: [number, number], bits: number[]): [number, number] {
  let h = hi
  let l = lo
  for (const b of bits) {
    if (b < 32) l = (l ^ (1 << b)) >>> 0
    else h = (h ^ (1 << (b - 32))) >>> 0
  }
  return [h >>> 0, l >>> 0]
}

function build(specs: Spec[], seed = 1): DuplicateInput {
  const rnd = prng(seed)
  const n = specs.length
  const col = () => hashColumn(n)
  const input = {
    ids: Int32Array.from(specs.map((s) => s.id)),
    contentClass: contentClassesFromChecksums(specs.map((s) => s.checksum ?? null)),
    hashed: Uint8Array.from(specs.map((s) => (s.hashed === false ? 0 : 1))),
    ahash: col(),
    dhash: col(),
    phash: col(),
    whash: col(),
    lowInfo: Uint8Array.from(specs.map((s) => (s.lowInfo ? 1 : 0))),
    mean: Float32Array.from(specs.map((s) => s.mean ?? Number.NaN)),
    std: Float32Array.from(specs.map((s) => s.std ?? Number.NaN)),
    burst: Int32Array.from(specs.map((s) => s.burst ?? 0)),
  }
  specs.forEach((s, i) => {
    const set = (c: Hash64Column, v: [number, number] | undefined) => {
      const [hi, lo] = v ?? balanced(rnd)
      c.hi[i] = hi
      c.lo[i] = lo
    }
    set(input.ahash, s.a)
    set(input.dhash, s.d)
    set(input.phash, s.p)
    set(input.whash, s.w)
  })
  return input
}

const groupIds = (input: DuplicateInput, groups: { rows: readonly number[] }[]) =>
  groups.map((g) => g.rows.map((r) => input.ids[r] as number).sort((a, b) => a - b))

describe(findDuplicateGroups.name, () => {
  it('groups a near pair by aHash AND dHash, and not by pHash/wHash alone', () => {
    const { a, d, p, w } = seededHashes(7)
    const input = build([
      { id: 1, a, d, p, w },
      { id: 2, a: flip(a, [1, 2, 3]), d: flip(d, [40, 41]) },
      // Same pHash and wHash as 1, different aHash: not a duplicate.
      { id: 3, p, w },
      // aHash close but dHash far: not a duplicate.
      { id: 4, a: flip(a, [5]), d: flip(d, [1, 2, 3, 4, 5, 6, 7, 8]) },
    ])
    const { groups } = findDuplicateGroups(input)
    expect(groupIds(input, groups)).toEqual([[1, 2]])
    expect(groups[0]?.kind).toBe('near')
  })

  it('lets pHash AND wHash extend the aHash/dHash threshold by 2, never more, never alone', () => {
    const { a, d, p, w } = seededHashes(21)
    const input = build([
      { id: 1, a, d, p, w },
      // dHash 7 (> 5) but pHash and wHash agree: accepted on the evidence of all four.
      { id: 2, a: flip(a, [1]), d: flip(d, [1, 2, 3, 4, 5, 6, 7]), p: flip(p, [9]), w },
      // dHash 7 and only wHash agrees: rejected.
      { id: 3, a, d: flip(d, [11, 12, 13, 14, 15, 16, 17]), p: flip(p, [1, 2, 3, 4, 5, 6]), w },
      // dHash 8 (> 5 + 2) even with pHash and wHash identical: rejected.
      { id: 4, a, d: flip(d, [20, 21, 22, 23, 24, 25, 26, 27]), p, w },
    ])
    const { groups, stats } = findDuplicateGroups(input)
    expect(groupIds(input, groups)).toEqual([[1, 2]])
    expect(stats.evidencePairs).toBe(1)
    const none = findDuplicateGroups(input, undefined, {
      ...DEFAULT_DUPLICATE_OPTIONS,
      evidenceMargin: 0,
    })
    expect(none.groups).toEqual([])
    const g = groups[0]
    const m =
      g &&
      describeMatch(
        input,
        findDuplicateGroups(input).nodes,
        g.rows[0] as number,
        g.rows[1] as number,
      )
    expect(m?.reason).toMatch(/confirmed by pHash 1 and wHash 0/)
  })

  it('never chains: A≈B, B≈C, A≉C do not all land in one group', () => {
    const { a, d } = seededHashes(8)
    // B is 3 bits from A and from C; A and C are 6 bits apart (> 5).
    const input = build([
      { id: 1, a, d },
      { id: 2, a: flip(a, [0, 1, 2]), d },
      { id: 3, a: flip(a, [0, 1, 2, 3, 4, 5]), d },
    ])
    const { groups } = findDuplicateGroups(input)
    expect(groups).toHaveLength(1)
    const ids = groupIds(input, groups)[0] ?? []
    expect(ids).toHaveLength(2)
    expect(ids).toContain(2)
  })

  it('never chains on a long random chain either: every group is a clique', () => {
    const rnd = prng(9)
    const specs: Spec[] = []
    let a = balanced(rnd)
    const d = balanced(rnd)
    for (let i = 0; i < 40; i++) {
      specs.push({ id: i + 1, a, d })
      a = flip(a, [rnd() % 64, rnd() % 64])
    }
    const input = build(specs)
    const { groups } = findDuplicateGroups(input)
    expect(groups.length).toBeGreaterThan(1)
    for (const g of groups) {
      for (const x of g.rows) {
        for (const y of g.rows) {
          const dist =
            popcount((input.ahash.hi[x] as number) ^ (input.ahash.hi[y] as number)) +
            popcount((input.ahash.lo[x] as number) ^ (input.ahash.lo[y] as number))
          expect(dist).toBeLessThanOrEqual(5)
        }
      }
    }
    const all = groups.flatMap((g) => g.rows)
    expect(new Set(all).size).toBe(all.length)
  })

  it('collapses byte copies: an exact group alone, or inside the near group of its variants', () => {
    const { a, d } = seededHashes(10)
    const input = build([
      { id: 1, a, d, checksum: 'x' },
      { id: 2, a, d, checksum: 'x' },
      { id: 3, a: flip(a, [7]), d, checksum: 'y' },
      { id: 4, checksum: 'z', hashed: false },
      { id: 5, checksum: 'z', hashed: false },
      { id: 6, checksum: 'z', hashed: false },
    ])
    const { groups } = findDuplicateGroups(input)
    const byKind = Object.fromEntries(groups.map((g) => [g.kind, groupIds(input, [g])[0]]))
    expect(byKind).toEqual({ near: [1, 2, 3], exact: [4, 5, 6] })
    const near = groups.find((g) => g.kind === 'near')
    expect(
      near &&
        describeMatch(
          input,
          findDuplicateGroups(input).nodes,
          near.rows[0] as number,
          near.rows[1] as number,
        ).kind,
    ).toBe('copy')
  })

  it('excludes pairs of frames of one burst', () => {
    const { a, d } = seededHashes(11)
    const input = build([
      { id: 1, a, d, burst: 7 },
      { id: 2, a: flip(a, [1]), d, burst: 7 },
      { id: 3, a: flip(a, [2]), d, burst: 7 },
      { id: 4, a: flip(a, [3]), d },
    ])
    const { groups, stats } = findDuplicateGroups(input)
    expect(stats.burstPairsExcluded).toBe(3)
    // 4 matches each frame; one frame joins it, never two frames of the burst together.
    expect(groups).toHaveLength(1)
    const ids = groupIds(input, groups)[0] ?? []
    expect(ids).toHaveLength(2)
    expect(ids).toContain(4)
  })

  it('keeps user-separated pairs apart, also for byte-identical copies', () => {
    const { a, d } = seededHashes(12)
    const input = build([
      { id: 1, a, d },
      { id: 2, a: flip(a, [1]), d },
      { id: 3, checksum: 'c', hashed: false },
      { id: 4, checksum: 'c', hashed: false },
    ])
    const separated = new SeparatedPairs([
      [1, 2],
      [4, 3],
    ])
    expect(findDuplicateGroups(input, separated).groups).toEqual([])
    expect(findDuplicateGroups(input).groups).toHaveLength(2)
  })

  it('low-information images need all four hashes close and similar brightness', () => {
    const { a, d, p, w } = seededHashes(13)
    const low = { lowInfo: true, std: 3 }
    const input = build([
      { id: 1, a, d, p, w, ...low, mean: 250 },
      // Close on all four and brightness: a low-information duplicate.
      { id: 2, a: flip(a, [1]), d: flip(d, [2]), p: flip(p, [3]), w, ...low, mean: 248 },
      // aHash/dHash within 5 (the normal rule) but pHash far: rejected.
      {
        id: 3,
        a: flip(a, [4, 5, 6]),
        d,
        p: flip(p, [1, 2, 3, 4, 5, 6, 7, 8, 9]),
        w,
        ...low,
        mean: 250,
      },
      // Identical hashes but much darker: rejected.
      { id: 4, a, d, p, w, ...low, mean: 200 },
      // Unknown stats: rejected.
      { id: 5, a, d, p, w, lowInfo: true },
      // A normal image identical in hashes never matches a low-information one.
      { id: 6, a, d, p, w, mean: 250, std: 40 },
    ])
    const { groups } = findDuplicateGroups(input)
    expect(groupIds(input, groups)).toEqual([[1, 2]])
    expect(groups[0]?.lowInfo).toBe(true)
  })

  it('never matches degenerate hashes (flat frames) except as byte copies', () => {
    const flat: Spec = {
      id: 0,
      a: [0, 0],
      d: [0, 0],
      p: [0, 1],
      w: [0, 0],
      lowInfo: true,
      mean: 255,
      std: 0,
    }
    const specs: Spec[] = Array.from({ length: 50 }, (_, i) => ({ ...flat, id: i + 1 }))
    const input = build(specs)
    const { groups, stats } = findDuplicateGroups(input)
    expect(groups).toEqual([])
    expect(stats.degenerate).toBe(50)
  })

  it('treats 5,000 identical low-information hashes as saturated, quickly', () => {
    const { a, d, p, w } = seededHashes(14)
    const specs: Spec[] = []
    for (let i = 0; i < 5000; i++)
      specs.push({ id: i + 1, a, d, p, w, lowInfo: true, mean: 250, std: 2 })
    for (let i = 0; i < 5000; i++) specs.push({ id: 5001 + i })
    const input = build(specs)
    const started = performance.now()
    const { groups, stats } = findDuplicateGroups(input)
    expect(groups).toEqual([])
    expect(stats.saturatedRows).toBe(5000)
    expect(stats.candidatePairs).toBeLessThan(1000)
    // Not a timing assertion on the machine: a guard against accidental O(n²) (12.5 M pairs).
    expect(performance.now() - started).toBeLessThan(20_000)
  })

  it('puts each photo in at most one group', () => {
    const rnd = prng(15)
    const specs: Spec[] = []
    for (let c = 0; c < 30; c++) {
      const a = balanced(rnd)
      const d = balanced(rnd)
      for (let k = 0; k < 5; k++) {
        specs.push({
          id: specs.length + 1,
          a: flip(a, [rnd() % 64, rnd() % 64]),
          d: flip(d, [rnd() % 64]),
        })
      }
    }
    const input = build(specs)
    const { groups } = findDuplicateGroups(input)
    const rows = groups.flatMap((g) => g.rows)
    expect(new Set(rows).size).toBe(rows.length)
    expect(groups.length).toBeGreaterThanOrEqual(30)
  })
})

describe(greedyCliques.name, () => {
  it('builds cliques from a graph with a bridge', () => {
    // 0-1-2 triangle, 2-3, 3-4-5 triangle.
    const edges = {
      left: [0, 1, 0, 2, 3, 4, 3],
      right: [1, 2, 2, 3, 4, 5, 5],
      weight: [1, 1, 1, 1, 1, 1, 1],
    }
    const groups: number[][] = []
    greedyCliques(6, edges, (m) => groups.push([...m].sort()))
    expect(groups.sort()).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ])
  })
})

describe('options', () => {
  it('defaults to the documented threshold', () => {
    expect(DEFAULT_DUPLICATE_OPTIONS.threshold).toBe(5)
  })
})

function popcount(x: number): number {
  let n = 0
  for (let v = x >>> 0; v; v >>>= 1) n += v & 1
  return n
}
