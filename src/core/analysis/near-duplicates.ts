import { contentNodes, rowsOfNode, SeparatedPairs, type ContentNodes } from './exact-duplicates'
import { findPairsWithin } from './hamming-index'
import { hammingAt, popcountAt, type Hash64Column } from './hash-column'

/**
 * Exact and near-duplicate groups from perceptual hashes. Pure: columns in, groups out.
 *
 * Rules (design.md, issue 5), and why:
 * - Exact copies (same checksum) collapse into one node first; a near group shows all of them.
 * - A near pair needs aHash AND dHash within the threshold t (default 5). pHash and wHash never
 *   decide alone — in the seed catalog wHash alone put 5,659 over-exposed photos into one bucket
 *   and 99.3% of OR-ed pairs were false — but they add evidence: when BOTH are within t, aHash
 *   and dHash may be up to `evidenceMargin` (2) past t, so all four hashes must agree. A 3%
 *   crop of a small photo moves dHash to 6 while the other three stay close; this keeps it.
 *   The extra pass is a second exact index over (pHash, wHash).
 * - Low-information images (near-uniform: over/under-exposed, blank, document-white) need
 *   stricter evidence, because their hashes encode noise around a flat mean: only another
 *   low-information image can match, with ALL FOUR hashes within `lowInfoThreshold` (2) AND mean
 *   grey level within `lowInfoMeanDelta` AND its standard deviation within `lowInfoStdDelta`
 *   (0–255 scale; unknown stats never match). Images whose aHash or dHash is degenerate (≤ 2 or
 *   ≥ 62 bits set — a flat frame has dHash 0) carry no evidence at all: exact copies only.
 * - An identical hash value shared by more than `maxIdenticalClass` different images (more than
 *   `maxLowInfoIdenticalClass` when low-information) is saturated — a property of the hash, not
 *   of the photos — and yields no pairs; it is counted in the stats.
 * - Pairs of frames of one burst are not duplicates (29% of the seed's consensus pairs were).
 * - Pairs the user separated ("not duplicates", or both kept) never share a group again.
 * - No chaining: a group is a clique — every member is an accepted pair with every other member
 *   (complete linkage), grown greedily from the best-connected photo. A≈B, B≈C, A≉C can never
 *   land in one group. A file is in at most one group.
 */

export interface DuplicateInput {
  /** Photo id of each row (one row per photo). */
  readonly ids: Int32Array
  /** Rows with equal non-negative values have the same content checksum; −1 = unique. */
  readonly contentClass: Int32Array
  /** 1 when the row has all four hashes. */
  readonly hashed: Uint8Array
  readonly ahash: Hash64Column
  readonly dhash: Hash64Column
  readonly phash: Hash64Column
  readonly whash: Hash64Column
  /** 1 when analysis flagged the image as low-information (near-uniform pixels). */
  readonly lowInfo: Uint8Array
  /** Mean grey level (0–255) and its standard deviation; NaN when unknown. */
  readonly mean: Float32Array
  readonly std: Float32Array
  /** Burst id of each row, 0 for none. */
  readonly burst: Int32Array
}

export interface DuplicateOptions {
  readonly threshold: number
  readonly lowInfoThreshold: number
  readonly lowInfoMeanDelta: number
  readonly lowInfoStdDelta: number
  readonly maxIdenticalClass: number
  readonly maxLowInfoIdenticalClass: number
  /**
   * How far past the threshold aHash and dHash may be when pHash AND wHash are both within it
   * (evidence from the other two hashes; 0 turns this off).
   */
  readonly evidenceMargin: number
}

export const DEFAULT_DUPLICATE_OPTIONS: DuplicateOptions = {
  threshold: 5,
  lowInfoThreshold: 2,
  lowInfoMeanDelta: 4,
  lowInfoStdDelta: 3,
  maxIdenticalClass: 64,
  maxLowInfoIdenticalClass: 8,
  evidenceMargin: 2,
}

export type MatchKind = 'copy' | 'near' | 'low-info'

/** Hamming distances between two photos on each hash. */
export interface HashDistances {
  readonly ahash: number
  readonly dhash: number
  readonly phash: number
  readonly whash: number
}

/** A group found: member rows (each photo once) and the rows of byte-identical copies. */
export interface FoundGroup {
  readonly kind: 'exact' | 'near'
  readonly rows: readonly number[]
  /** Content node of each member (same node = same checksum), parallel to `rows`. */
  readonly nodes: readonly number[]
  /** Members matched under the low-information rule. */
  readonly lowInfo: boolean
}

export interface DuplicateStats {
  rows: number
  hashed: number
  nodes: number
  lowInfo: number
  degenerate: number
  saturatedClasses: number
  saturatedRows: number
  candidatePairs: number
  acceptedPairs: number
  /** Accepted past the aHash/dHash threshold because pHash and wHash agreed. */
  evidencePairs: number
  lowInfoRejected: number
  burstPairsExcluded: number
  separatedPairsExcluded: number
  exactGroups: number
  nearGroups: number
}

export interface DuplicateResult {
  readonly groups: FoundGroup[]
  readonly stats: DuplicateStats
  readonly nodes: ContentNodes
}

/** Accepted pairs between nodes, with a weight (lower = closer). */
export interface Edges {
  readonly left: readonly number[]
  readonly right: readonly number[]
  readonly weight: readonly number[]
}

class EdgeList implements Edges {
  left: number[] = []
  right: number[] = []
  weight: number[] = []

  push(a: number, b: number, weight: number): void {
    this.left.push(a)
    this.right.push(b)
    this.weight.push(weight)
  }
}

export function distancesBetween(input: DuplicateInput, a: number, b: number): HashDistances {
  return {
    ahash: hammingAt(input.ahash, a, b),
    dhash: hammingAt(input.dhash, a, b),
    phash: hammingAt(input.phash, a, b),
    whash: hammingAt(input.whash, a, b),
  }
}

/** A hash with almost no bits set (or almost all) says nothing about the picture. */
export function hasDegenerateHash(input: DuplicateInput, row: number): boolean {
  const a = popcountAt(input.ahash, row)
  const d = popcountAt(input.dhash, row)
  return a <= 2 || a >= 62 || d <= 2 || d >= 62
}

/** The strict rule for low-information pairs (see the module comment). */
export function lowInfoPairAccepted(
  input: DuplicateInput,
  a: number,
  b: number,
  options: DuplicateOptions,
): boolean {
  const t = options.lowInfoThreshold
  const d = distancesBetween(input, a, b)
  if (d.ahash > t || d.dhash > t || d.phash > t || d.whash > t) return false
  const meanDelta = Math.abs((input.mean[a] as number) - (input.mean[b] as number))
  const stdDelta = Math.abs((input.std[a] as number) - (input.std[b] as number))
  // NaN (unknown stats) fails both comparisons: no pixel evidence, no match.
  return meanDelta <= options.lowInfoMeanDelta && stdDelta <= options.lowInfoStdDelta
}

export function findDuplicateGroups(
  input: DuplicateInput,
  separated: SeparatedPairs = new SeparatedPairs(),
  options: DuplicateOptions = DEFAULT_DUPLICATE_OPTIONS,
): DuplicateResult {
  const n = input.ids.length
  const stats: DuplicateStats = {
    rows: n,
    hashed: 0,
    nodes: 0,
    lowInfo: 0,
    degenerate: 0,
    saturatedClasses: 0,
    saturatedRows: 0,
    candidatePairs: 0,
    acceptedPairs: 0,
    evidencePairs: 0,
    lowInfoRejected: 0,
    burstPairsExcluded: 0,
    separatedPairsExcluded: 0,
    exactGroups: 0,
    nearGroups: 0,
  }
  const nodes = contentNodes(input.ids, input.contentClass, separated)
  stats.nodes = nodes.count
  // Each node is represented by one analysed row (copies share pixels, so share hashes), and
  // belongs to the burst of any of its rows.
  const rep = new Int32Array(nodes.count).fill(-1)
  const burstOf = new Int32Array(nodes.count)
  for (let node = 0; node < nodes.count; node++) {
    for (const row of rowsOfNode(nodes, node)) {
      if (rep[node] === -1 && input.hashed[row] === 1) rep[node] = row
      if (burstOf[node] === 0) burstOf[node] = input.burst[row] as number
    }
  }
  const main: number[] = []
  const strict: number[] = []
  const isLowInfoNode = new Uint8Array(nodes.count)
  for (let node = 0; node < nodes.count; node++) {
    const row = rep[node] as number
    if (row < 0) continue
    stats.hashed++
    if (hasDegenerateHash(input, row)) {
      stats.degenerate++
      continue
    }
    if (input.lowInfo[row] === 1) {
      stats.lowInfo++
      isLowInfoNode[node] = 1
      strict.push(row)
    } else {
      main.push(row)
    }
  }

  const edges = new EdgeList()
  const idsOfNode = (node: number) => rowsOfNode(nodes, node).map((r) => input.ids[r] as number)
  const consider = (ra: number, rb: number, lowInfo: boolean) => {
    const a = nodes.nodeOf[ra] as number
    const b = nodes.nodeOf[rb] as number
    stats.candidatePairs++
    const burst = burstOf[a] as number
    if (burst !== 0 && burst === burstOf[b]) {
      stats.burstPairsExcluded++
      return
    }
    if (lowInfo && !lowInfoPairAccepted(input, ra, rb, options)) {
      stats.lowInfoRejected++
      return
    }
    if (separated.size > 0 && separated.anyBetween(idsOfNode(a), idsOfNode(b))) {
      stats.separatedPairsExcluded++
      return
    }
    const d = distancesBetween(input, ra, rb)
    // aHash + dHash decide; pHash and wHash only order the candidates (closer first).
    edges.push(a, b, (d.ahash + d.dhash) * 256 + d.phash + d.whash)
    stats.acceptedPairs++
  }
  /** Runs the index over `rows` on two hash columns and hands every row pair to `visit`. */
  const search = (
    rows: number[],
    columns: [Hash64Column, Hash64Column],
    threshold: number,
    maxClass: number,
    visit: (a: number, b: number) => void,
    countSaturated: boolean,
  ) => {
    if (rows.length < 2) return
    const { classes, pairs } = findPairsWithin({
      columns,
      thresholds: [threshold, threshold],
      rows: Int32Array.from(rows),
    })
    const size = (c: number) => (classes.start[c + 1] as number) - (classes.start[c] as number)
    const membersOf = (c: number) =>
      classes.members.subarray(classes.start[c], classes.start[c + 1])
    const saturated = (c: number) => size(c) > maxClass
    for (let c = 0; c < classes.count; c++) {
      if (saturated(c)) {
        if (countSaturated) {
          stats.saturatedClasses++
          stats.saturatedRows += size(c)
        }
        continue
      }
      const m = membersOf(c)
      for (let i = 0; i < m.length; i++) {
        for (let j = i + 1; j < m.length; j++) visit(m[i] as number, m[j] as number)
      }
    }
    for (let p = 0; p < pairs.count; p++) {
      const l = pairs.left[p] as number
      const r = pairs.right[p] as number
      if (saturated(l) || saturated(r)) continue
      for (const a of membersOf(l)) for (const b of membersOf(r)) visit(a, b)
    }
  }
  const t = options.threshold
  const ad: [Hash64Column, Hash64Column] = [input.ahash, input.dhash]
  search(main, ad, t, options.maxIdenticalClass, (a, b) => consider(a, b, false), true)
  if (options.evidenceMargin > 0) {
    // pHash and wHash agreeing within t lets aHash/dHash be up to `evidenceMargin` past it (a
    // slight crop moves dHash first). Pairs the consensus pass accepted are skipped here.
    const margin = t + options.evidenceMargin
    search(
      main,
      [input.phash, input.whash],
      t,
      options.maxIdenticalClass,
      (a, b) => {
        const da = hammingAt(input.ahash, a, b)
        const dd = hammingAt(input.dhash, a, b)
        if (da <= t && dd <= t) return
        if (da <= margin && dd <= margin) {
          stats.evidencePairs++
          consider(a, b, false)
        }
      },
      false,
    )
  }
  search(
    strict,
    ad,
    options.lowInfoThreshold,
    options.maxLowInfoIdenticalClass,
    (a, b) => consider(a, b, true),
    true,
  )

  const groups: FoundGroup[] = []
  const assigned = greedyCliques(nodes.count, edges, (members) => {
    const rows: number[] = []
    const memberNodes: number[] = []
    for (const node of members) {
      for (const row of rowsOfNode(nodes, node)) {
        rows.push(row)
        memberNodes.push(node)
      }
    }
    groups.push({
      kind: 'near',
      rows,
      nodes: memberNodes,
      lowInfo: isLowInfoNode[members[0] as number] === 1,
    })
  })
  stats.nearGroups = groups.length
  for (const [node, rows] of nodes.copies) {
    if (assigned[node] === 1 || rows.length < 2) continue
    groups.push({ kind: 'exact', rows: [...rows], nodes: rows.map(() => node), lowInfo: false })
    stats.exactGroups++
  }
  return { groups, stats, nodes }
}

/**
 * Complete-linkage grouping: each group is a clique of the accepted-pair graph. Seeds are taken
 * by degree (most connected first); a seed's neighbours join, closest first, only when they are
 * adjacent to every member already in. `cnt[x]` counts the members adjacent to x, so the check
 * is O(1) and the whole pass O(sum of degrees). Returns the assigned flag per node.
 */
export function greedyCliques(
  nodeCount: number,
  edges: Edges,
  emit: (members: number[]) => void,
): Uint8Array {
  const degree = new Int32Array(nodeCount)
  for (let e = 0; e < edges.left.length; e++) {
    const a = edges.left[e] as number
    const b = edges.right[e] as number
    degree[a] = (degree[a] as number) + 1
    degree[b] = (degree[b] as number) + 1
  }
  const offset = new Int32Array(nodeCount + 1)
  for (let v = 0; v < nodeCount; v++) offset[v + 1] = (offset[v] as number) + (degree[v] as number)
  const fill = offset.slice(0, nodeCount)
  const neighbour = new Int32Array(offset[nodeCount] as number)
  const weight = new Int32Array(offset[nodeCount] as number)
  for (let e = 0; e < edges.left.length; e++) {
    const a = edges.left[e] as number
    const b = edges.right[e] as number
    const w = edges.weight[e] as number
    neighbour[fill[a] as number] = b
    weight[fill[a] as number] = w
    fill[a] = (fill[a] as number) + 1
    neighbour[fill[b] as number] = a
    weight[fill[b] as number] = w
    fill[b] = (fill[b] as number) + 1
  }
  const seeds: number[] = []
  for (let v = 0; v < nodeCount; v++) if ((degree[v] as number) > 0) seeds.push(v)
  seeds.sort((a, b) => (degree[b] as number) - (degree[a] as number) || a - b)

  const assigned = new Uint8Array(nodeCount)
  const cnt = new Int32Array(nodeCount)
  const touched: number[] = []
  const bump = (v: number) => {
    for (let i = offset[v] as number; i < (offset[v + 1] as number); i++) {
      const u = neighbour[i] as number
      if (assigned[u] === 1) continue
      if (cnt[u] === 0) touched.push(u)
      cnt[u] = (cnt[u] as number) + 1
    }
  }
  for (const seed of seeds) {
    if (assigned[seed] === 1) continue
    const candidates: { node: number; weight: number }[] = []
    for (let i = offset[seed] as number; i < (offset[seed + 1] as number); i++) {
      const u = neighbour[i] as number
      if (assigned[u] === 0) candidates.push({ node: u, weight: weight[i] as number })
    }
    if (candidates.length === 0) continue
    candidates.sort((x, y) => x.weight - y.weight || x.node - y.node)
    const members = [seed]
    bump(seed)
    for (const { node } of candidates) {
      if (cnt[node] === members.length) {
        members.push(node)
        bump(node)
      }
    }
    for (const u of touched) cnt[u] = 0
    touched.length = 0
    if (members.length < 2) continue
    for (const m of members) assigned[m] = 1
    emit(members)
  }
  return assigned
}

/** Why `row` is in the same group as `keeperRow`: its distances and the rule that matched. */
export function describeMatch(
  input: DuplicateInput,
  nodes: ContentNodes,
  keeperRow: number,
  row: number,
  options: DuplicateOptions = DEFAULT_DUPLICATE_OPTIONS,
): { kind: MatchKind; distance: HashDistances | null; reason: string } {
  const hashed = input.hashed[keeperRow] === 1 && input.hashed[row] === 1
  const distance = hashed ? distancesBetween(input, keeperRow, row) : null
  if (nodes.nodeOf[row] === nodes.nodeOf[keeperRow]) {
    return { kind: 'copy', distance, reason: 'identical content (same checksum)' }
  }
  if (!distance) return { kind: 'near', distance, reason: 'similar image' }
  const { ahash, dhash, phash, whash } = distance
  if (input.lowInfo[row] === 1 || input.lowInfo[keeperRow] === 1) {
    const meanDelta = Math.abs((input.mean[row] as number) - (input.mean[keeperRow] as number))
    return {
      kind: 'low-info',
      distance,
      reason:
        `low-information image: all four hashes within ${options.lowInfoThreshold} ` +
        `(aHash ${ahash}, dHash ${dhash}, pHash ${phash}, wHash ${whash}), ` +
        `mean brightness within ${meanDelta.toFixed(1)}`,
    }
  }
  const t = options.threshold
  if (ahash > t || dhash > t) {
    return {
      kind: 'near',
      distance,
      reason:
        `aHash ${ahash} and dHash ${dhash} within ${t}+${options.evidenceMargin}, ` +
        `confirmed by pHash ${phash} and wHash ${whash} ≤ ${t}`,
    }
  }
  const agree = [phash <= t ? `pHash ${phash}` : null, whash <= t ? `wHash ${whash}` : null].filter(
    (x) => x !== null,
  )
  return {
    kind: 'near',
    distance,
    reason:
      `aHash ${ahash} and dHash ${dhash} ≤ ${options.threshold}` +
      (agree.length > 0 ? `; ${agree.join(', ')} agree` : `; pHash ${phash}, wHash ${whash}`),
  }
}
