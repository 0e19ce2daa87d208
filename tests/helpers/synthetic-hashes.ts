import { hashColumn, type Hash64Column } from '../../src/core/analysis/hash-column'

/**
 * Synthetic 64-bit hashes for tests and benchmarks: a seeded generator (so a failure or a bench
 * run reproduces), random hash columns, and copies planted a chosen number of bits away.
 */

/** Deterministic PRNG (mulberry32): uint32 values. */
export function prng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (t ^ (t >>> 14)) >>> 0
  }
}

/** The same sequence as `prng`, as floats in [0, 1). */
export function prngFloat(seed: number): () => number {
  const next = prng(seed)
  return () => next() / 4294967296
}

/** Fills every row of a column with random bits (row by row, high word first). */
export function fillRandom(col: Hash64Column, rnd: () => number): Hash64Column {
  for (let i = 0; i < col.hi.length; i++) {
    col.hi[i] = rnd()
    col.lo[i] = rnd()
  }
  return col
}

/** `count` columns of `n` random hashes, filled one column after the other. */
export function randomColumns(n: number, count: number, rnd: () => number): Hash64Column[] {
  return Array.from({ length: count }, () => fillRandom(hashColumn(n), rnd))
}

/** Flips `bits` distinct random bits of one row. */
export function flipBits(col: Hash64Column, row: number, bits: number, rnd: () => number): void {
  const flipped = new Set<number>()
  while (flipped.size < bits) flipped.add(rnd() % 64)
  for (const bit of flipped) {
    if (bit < 32) col.lo[row] = ((col.lo[row] as number) ^ (1 << bit)) >>> 0
    else col.hi[row] = ((col.hi[row] as number) ^ (1 << (bit - 32))) >>> 0
  }
}

/** Copies row `from` to `to` in every column. */
export function copyRow(cols: readonly Hash64Column[], from: number, to: number): void {
  for (const c of cols) {
    c.hi[to] = c.hi[from] as number
    c.lo[to] = c.lo[from] as number
  }
}

/** Copies row `from` to `to` with `bits` distinct random bits flipped. */
export function plantNear(
  col: Hash64Column,
  from: number,
  to: number,
  bits: number,
  rnd: () => number,
): void {
  copyRow([col], from, to)
  flipBits(col, to, bits, rnd)
}
