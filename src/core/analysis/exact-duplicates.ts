/**
 * Exact duplicates: the same content checksum at different paths. The catalog records every path
 * (the seed's scanner dropped second paths, so its exact detection could never fire); here equal
 * checksums become one content class. Bytes are compared again before anything is removed.
 */

/**
 * Content class per row: rows with equal checksums share a class id ≥ 0; −1 = unique/unknown.
 * `shared` (optional) lists the checksums known to occur more than once (the catalog knows them
 * from its checksum index): other rows are skipped without a map insertion each.
 */
export function contentClassesFromChecksums(
  checksums: readonly (string | null)[],
  shared?: ReadonlySet<string>,
): Int32Array {
  const classes = new Int32Array(checksums.length).fill(-1)
  const firstRow = new Map<string, number>()
  let next = 0
  const classOfFirst = new Map<number, number>()
  checksums.forEach((checksum, row) => {
    if (!checksum || (shared && !shared.has(checksum))) return
    const first = firstRow.get(checksum)
    if (first === undefined) {
      firstRow.set(checksum, row)
      return
    }
    let c = classOfFirst.get(first)
    if (c === undefined) {
      c = next++
      classOfFirst.set(first, c)
      classes[first] = c
    }
    classes[row] = c
  })
  return classes
}

/** Pairs of photo ids the user separated ("not duplicates", or "keep both" in a resolution). */
export class SeparatedPairs {
  private readonly byPhoto = new Map<number, Set<number>>()

  constructor(pairs: Iterable<readonly [number, number]> = []) {
    for (const [a, b] of pairs) this.add(a, b)
  }

  add(a: number, b: number): void {
    if (a === b) return
    for (const [x, y] of [
      [a, b],
      [b, a],
    ] as const) {
      let set = this.byPhoto.get(x)
      if (!set) {
        set = new Set()
        this.byPhoto.set(x, set)
      }
      set.add(y)
    }
  }

  has(a: number, b: number): boolean {
    return this.byPhoto.get(a)?.has(b) ?? false
  }

  /** True when any photo of `left` was separated from any photo of `right`. */
  anyBetween(left: readonly number[], right: readonly number[]): boolean {
    for (const a of left) {
      const set = this.byPhoto.get(a)
      if (set && right.some((b) => set.has(b))) return true
    }
    return false
  }

  get size(): number {
    let n = 0
    for (const set of this.byPhoto.values()) n += set.size
    return n / 2
  }
}

/** Rows grouped into "nodes" of identical content (CSR-free: most nodes are single rows). */
export interface ContentNodes {
  readonly count: number
  readonly nodeOf: Int32Array
  /** Lowest row of each node. */
  readonly firstRow: Int32Array
  /** All rows of the nodes that have more than one (byte-identical copies), ascending. */
  readonly copies: ReadonlyMap<number, readonly number[]>
}

export function rowsOfNode(nodes: ContentNodes, node: number): readonly number[] {
  return nodes.copies.get(node) ?? [nodes.firstRow[node] as number]
}

/**
 * Splits rows of equal content into nodes that may be grouped: copies the user separated go to
 * different nodes (greedily, first fit in row order), so a dismissed exact group never re-forms,
 * while a new copy still joins the first node it is compatible with.
 */
export function contentNodes(
  ids: Int32Array,
  contentClass: Int32Array,
  separated: SeparatedPairs,
): ContentNodes {
  const n = ids.length
  const nodeOf = new Int32Array(n).fill(-1)
  const firstRow = new Int32Array(n)
  const copies = new Map<number, number[]>()
  const nodesOfClass = new Map<number, number[]>()
  let count = 0
  for (let row = 0; row < n; row++) {
    const c = contentClass[row] as number
    const id = ids[row] as number
    const candidates = c < 0 ? undefined : nodesOfClass.get(c)
    const fit = candidates?.find((node) =>
      (copies.get(node) ?? [firstRow[node] as number]).every(
        (other) => !separated.has(id, ids[other] as number),
      ),
    )
    if (fit !== undefined) {
      nodeOf[row] = fit
      const rows = copies.get(fit) ?? [firstRow[fit] as number]
      rows.push(row)
      copies.set(fit, rows)
      continue
    }
    nodeOf[row] = count
    firstRow[count] = row
    if (c >= 0) {
      if (candidates) candidates.push(count)
      else nodesOfClass.set(c, [count])
    }
    count++
  }
  return { count, nodeOf, firstRow: firstRow.subarray(0, count), copies }
}
