/**
 * 64-bit perceptual hashes held as two 32-bit halves in typed arrays ("columns"). BigInt XOR and
 * popcount are one to two orders of magnitude slower than int32 math in V8, and a million hashes
 * as BigInt objects would also cost ~50 MB of heap; two Uint32Arrays cost 8 MB.
 *
 * Bit order: bit 63 is the first bit of the hash's 16-hex-digit form (imagehash's hex), so
 * `hi` is the first 8 hex digits and `lo` the last 8.
 */
export interface Hash64Column {
  readonly hi: Uint32Array
  readonly lo: Uint32Array
}

export function hashColumn(length: number): Hash64Column {
  return { hi: new Uint32Array(length), lo: new Uint32Array(length) }
}

/** Population count of a 32-bit value (SWAR; no lookup table, no BigInt). */
export function popcount32(value: number): number {
  let x = value - ((value >>> 1) & 0x55555555)
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333)
  x = (x + (x >>> 4)) & 0x0f0f0f0f
  return Math.imul(x, 0x01010101) >>> 24
}

/** Hamming distance between rows `i` and `j` of one column. */
export function hammingAt(column: Hash64Column, i: number, j: number): number {
  return (
    popcount32((column.hi[i] as number) ^ (column.hi[j] as number)) +
    popcount32((column.lo[i] as number) ^ (column.lo[j] as number))
  )
}

/** Number of set bits of row `i` (0 and 64 are the degenerate all-equal hashes). */
export function popcountAt(column: Hash64Column, i: number): number {
  return popcount32(column.hi[i] as number) + popcount32(column.lo[i] as number)
}

const HEX16 = /^[0-9a-f]{16}$/i

/** Writes a 16-hex-digit hash into row `i`. */
export function setHex(column: Hash64Column, i: number, hex: string): void {
  if (!HEX16.test(hex)) throw new Error(`not a 64-bit hex hash: "${hex}"`)
  column.hi[i] = Number.parseInt(hex.slice(0, 8), 16) >>> 0
  column.lo[i] = Number.parseInt(hex.slice(8), 16) >>> 0
}

/** Row `i` as 16 hex digits (imagehash's form). */
export function hexAt(column: Hash64Column, i: number): string {
  return (
    (column.hi[i] as number).toString(16).padStart(8, '0') +
    (column.lo[i] as number).toString(16).padStart(8, '0')
  )
}

/**
 * Writes a hash as SQLite may hand it back, whatever the analysis migration chose: a (signed or
 * unsigned) 64-bit integer as bigint, an 8-byte big-endian BLOB, or 16 hex digits. Returns false
 * when the value is absent or unreadable, so the caller can treat the photo as not hashed.
 */
export function setFromStored(column: Hash64Column, i: number, value: unknown): boolean {
  if (typeof value === 'bigint') {
    const u = BigInt.asUintN(64, value)
    column.hi[i] = Number(u >> 32n) >>> 0
    column.lo[i] = Number(u & 0xffffffffn) >>> 0
    return true
  }
  if (value instanceof Uint8Array && value.length === 8) {
    const view = new DataView(value.buffer, value.byteOffset, 8)
    column.hi[i] = view.getUint32(0)
    column.lo[i] = view.getUint32(4)
    return true
  }
  if (typeof value === 'string' && HEX16.test(value)) {
    setHex(column, i, value)
    return true
  }
  if (typeof value === 'number' && Number.isSafeInteger(value)) {
    // Only small values survive as JS numbers; anything bigger should come back as bigint.
    column.hi[i] = Math.floor(value / 2 ** 32) >>> 0
    column.lo[i] = value >>> 0
    return true
  }
  return false
}
