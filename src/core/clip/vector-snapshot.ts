import { promises as fsp, readFileSync } from 'node:fs'
import path from 'node:path'

/**
 * A binary snapshot of one model's vectors in the cache folder, so a new process (every `vam
 * search` is one) reads 100k vectors in one file read (~0.1 s) instead of 100k BLOB rows from
 * SQLite (~2 s). It is only a cache: stamped with the catalog's vectors_version and load time,
 * brought up to date from the catalog on load, and ignored when it does not match.
 *
 * Layout: 'VAMVEC1\0', u32 header length, header JSON, zero padding to 4 bytes, then
 * `count` int32 photo ids and `count × dim` float32 values (little-endian).
 */

const MAGIC = 'VAMVEC1\0'

export interface SnapshotHeader {
  readonly modelId: string
  readonly dim: number
  readonly count: number
  /** clip_models.vectors_version the rows correspond to. */
  readonly version: number
  /** When the rows were read from the catalog (ISO): the refresh reads rows written since. */
  readonly loadedAt: string
}

export interface Snapshot {
  readonly header: SnapshotHeader
  readonly ids: Int32Array
  /** The vectors' bytes (`count × dim × 4`). */
  readonly vectors: Uint8Array
}

/** The snapshot file of a model in a cache folder. */
export function snapshotFileOf(cacheDir: string, modelId: string): string {
  return path.join(cacheDir, 'clip', `${modelId.replace(/[^a-z0-9._-]/gi, '_')}.vectors`)
}

/** Reads a snapshot of `modelId` with `dim`-d vectors, or null if absent, foreign or damaged. */
export function readSnapshot(file: string, modelId: string, dim: number): Snapshot | null {
  let buffer: Buffer
  try {
    buffer = readFileSync(file)
  } catch {
    return null
  }
  try {
    if (buffer.toString('latin1', 0, 8) !== MAGIC) return null
    const headerLength = buffer.readUInt32LE(8)
    const header = JSON.parse(buffer.toString('utf8', 12, 12 + headerLength)) as SnapshotHeader
    if (header.modelId !== modelId || header.dim !== dim || !(header.count >= 0)) return null
    const idsAt = align4(12 + headerLength)
    const vectorsAt = idsAt + header.count * 4
    if (buffer.byteLength !== vectorsAt + header.count * dim * 4) return null
    // Copies into aligned arrays: the file buffer's offset need not be a multiple of 4.
    const ids = new Int32Array(header.count)
    new Uint8Array(ids.buffer).set(buffer.subarray(idsAt, vectorsAt))
    return { header, ids, vectors: buffer.subarray(vectorsAt) }
  } catch {
    return null
  }
}

/**
 * Writes a snapshot atomically (temporary file, then rename) without blocking the caller.
 * Best effort: a failure only means the next process reads the catalog instead.
 */
export async function writeSnapshot(
  file: string,
  header: SnapshotHeader,
  ids: Int32Array,
  vectors: Float32Array,
): Promise<void> {
  const json = Buffer.from(JSON.stringify(header), 'utf8')
  const head = Buffer.alloc(align4(12 + json.length))
  head.write(MAGIC, 0, 'latin1')
  head.writeUInt32LE(json.length, 8)
  json.copy(head, 12)
  const idBytes = new Uint8Array(ids.buffer, ids.byteOffset, header.count * 4)
  // Views, not copies (200 MB at 100k): if the matrix is refreshed while this is in flight, a
  // row can only become newer than the header says, which the next refresh re-applies anyway.
  const vectorBytes = new Uint8Array(
    vectors.buffer,
    vectors.byteOffset,
    header.count * header.dim * 4,
  )
  const tmp = `${file}.${process.pid}.tmp`
  try {
    await fsp.mkdir(path.dirname(file), { recursive: true })
    const handle = await fsp.open(tmp, 'w')
    try {
      await handle.writev([head, idBytes, vectorBytes])
    } finally {
      await handle.close()
    }
    await fsp.rename(tmp, file)
  } catch {
    await fsp.rm(tmp, { force: true }).catch(() => undefined)
  }
}

function align4(n: number): number {
  return (n + 3) & ~3
}
