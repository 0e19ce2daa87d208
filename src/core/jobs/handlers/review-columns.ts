import { CameraKeys, type BurstColumns } from '../../analysis/bursts'
import { formatCode, type CopyFacts, type DuplicatePlanInput } from '../../analysis/duplicate-plan'
import { contentClassesFromChecksums } from '../../analysis/exact-duplicates'
import { hashColumn, type Hash64Column } from '../../analysis/hash-column'
import type { DuplicateScanRow } from '../../catalog/repositories/duplicate.repository'
import { takenAtToMs, type FrameRow } from '../../catalog/repositories/burst.repository'

/**
 * Catalog rows → the typed-array columns the pure algorithms take. Capacity is known up front
 * (a COUNT before the keyset scan), so nothing is reallocated while a million rows stream in.
 */

const num = (v: number | null | undefined) => (v === null || v === undefined ? Number.NaN : v)

/** Frame columns for burst detection, filled row by row. */
export class FrameColumnsBuilder {
  private readonly cols: BurstColumns
  private readonly checksums: (string | null)[] = []
  length = 0

  /** `cameras` may be shared by several builders so camera indexes agree across loads. */
  constructor(
    capacity: number,
    private readonly excluded: ReadonlySet<number>,
    readonly cameras: CameraKeys = new CameraKeys(),
    private readonly shared?: ReadonlySet<string>,
  ) {
    this.cols = {
      ids: new Int32Array(capacity),
      camera: new Int32Array(capacity),
      takenAtMs: new Float64Array(capacity),
      lat: new Float64Array(capacity),
      lon: new Float64Array(capacity),
      content: new Int32Array(capacity),
      sharpness: new Float32Array(capacity),
      exposure: new Float32Array(capacity),
      score: new Float32Array(capacity),
      excluded: new Uint8Array(capacity),
    }
  }

  /** One row of the bursts scan. */
  push(row: FrameRow): void {
    this.pushFrame(
      row[0],
      row[1],
      row[2],
      row[3],
      row[4],
      row[5],
      row[6],
      row[7],
      row[8],
      row[9],
      row[10],
      row[11],
      row[12],
    )
  }

  /** Positional, so the hot loop allocates nothing per row but the checksum slot. */
  pushFrame(
    id: number,
    checksum: string | null,
    make: string | null,
    model: string | null,
    folder: string,
    width: number | null,
    height: number | null,
    takenAt: string | null,
    lat: number | null,
    lon: number | null,
    sharpness: number | null,
    exposure: number | null,
    score: number | null,
  ): void {
    const i = this.length++
    const c = this.cols
    const ms = takenAt ? takenAtToMs(takenAt) : Number.NaN
    c.ids[i] = id
    c.camera[i] = Number.isFinite(ms)
      ? this.cameras.indexOfPhoto({ make, model, folder, width, height })
      : -1
    c.takenAtMs[i] = ms
    c.lat[i] = num(lat)
    c.lon[i] = num(lon)
    c.sharpness[i] = num(sharpness)
    c.exposure[i] = num(exposure)
    c.score[i] = num(score)
    c.excluded[i] = this.excluded.has(id) ? 1 : 0
    this.checksums.push(checksum)
  }

  get capacity(): number {
    return this.cols.ids.length
  }

  /** `content`: precomputed content classes, else derived from the checksums (`shared` hint). */
  build(content = contentClassesFromChecksums(this.checksums, this.shared)): BurstColumns {
    const n = this.length
    const c = this.cols
    return {
      ids: c.ids.subarray(0, n),
      camera: c.camera.subarray(0, n),
      takenAtMs: c.takenAtMs.subarray(0, n),
      lat: c.lat.subarray(0, n),
      lon: c.lon.subarray(0, n),
      content,
      sharpness: c.sharpness.subarray(0, n),
      exposure: c.exposure.subarray(0, n),
      score: c.score.subarray(0, n),
      excluded: c.excluded.subarray(0, n),
    }
  }
}

/** Everything the duplicates computation needs, filled row by row. */
export class DuplicateColumnsBuilder {
  private readonly hashed: Uint8Array
  private readonly hashes: Record<'a' | 'd' | 'p' | 'w', Hash64Column>
  private readonly lowInfo: Uint8Array
  private readonly mean: Float32Array
  private readonly std: Float32Array
  private readonly facts: {
    format: Uint8Array
    width: Int32Array
    height: Int32Array
    size: Float64Array
    hasDate: Uint8Array
    hasGps: Uint8Array
    quality: Float32Array
  }
  private readonly checksums: (string | null)[] = []
  readonly frames: FrameColumnsBuilder
  length = 0

  constructor(
    capacity: number,
    burstExclusions: ReadonlySet<number>,
    private readonly shared?: ReadonlySet<string>,
  ) {
    this.hashed = new Uint8Array(capacity)
    this.hashes = {
      a: hashColumn(capacity),
      d: hashColumn(capacity),
      p: hashColumn(capacity),
      w: hashColumn(capacity),
    }
    this.lowInfo = new Uint8Array(capacity)
    this.mean = new Float32Array(capacity)
    this.std = new Float32Array(capacity)
    this.facts = {
      format: new Uint8Array(capacity),
      width: new Int32Array(capacity),
      height: new Int32Array(capacity),
      size: new Float64Array(capacity),
      hasDate: new Uint8Array(capacity),
      hasGps: new Uint8Array(capacity),
      quality: new Float32Array(capacity),
    }
    this.frames = new FrameColumnsBuilder(capacity, burstExclusions)
  }

  get capacity(): number {
    return this.hashed.length
  }

  push(row: DuplicateScanRow): void {
    // Positional reads, no slicing or destructuring: this runs once per photo.
    const i = this.length++
    const hashed = row[2]
    this.hashed[i] = hashed
    if (hashed) {
      const { a, d, p, w } = this.hashes
      a.hi[i] = row[3] >>> 0
      a.lo[i] = row[4] >>> 0
      d.hi[i] = row[5] >>> 0
      d.lo[i] = row[6] >>> 0
      p.hi[i] = row[7] >>> 0
      p.lo[i] = row[8] >>> 0
      w.hi[i] = row[9] >>> 0
      w.lo[i] = row[10] >>> 0
    }
    this.lowInfo[i] = row[11] === 1 ? 1 : 0
    this.mean[i] = num(row[12])
    this.std[i] = num(row[13])
    const f = this.facts
    f.format[i] = formatCode(row[14])
    f.width[i] = row[15] ?? 0
    f.height[i] = row[16] ?? 0
    f.size[i] = row[17]
    f.hasDate[i] = row[21] ? 1 : 0
    f.hasGps[i] = row[22] !== null && row[23] !== null ? 1 : 0
    f.quality[i] = num(row[26])
    this.checksums.push(row[1])
    this.frames.pushFrame(
      row[0],
      row[1],
      row[19],
      row[20],
      row[18],
      row[15],
      row[16],
      row[21],
      row[22],
      row[23],
      row[24],
      row[25],
      row[26],
    )
  }

  build(
    options: Pick<DuplicatePlanInput, 'options' | 'burstOptions' | 'separated'>,
  ): DuplicatePlanInput {
    const n = this.length
    const cut = (c: Hash64Column): Hash64Column => ({
      hi: c.hi.subarray(0, n),
      lo: c.lo.subarray(0, n),
    })
    const f = this.facts
    const facts: CopyFacts = {
      format: f.format.subarray(0, n),
      width: f.width.subarray(0, n),
      height: f.height.subarray(0, n),
      size: f.size.subarray(0, n),
      hasDate: f.hasDate.subarray(0, n),
      hasGps: f.hasGps.subarray(0, n),
      quality: f.quality.subarray(0, n),
    }
    const contentClass = contentClassesFromChecksums(this.checksums, this.shared)
    const frames = this.frames.build(contentClass)
    return {
      rows: {
        ids: frames.ids,
        contentClass,
        hashed: this.hashed.subarray(0, n),
        ahash: cut(this.hashes.a),
        dhash: cut(this.hashes.d),
        phash: cut(this.hashes.p),
        whash: cut(this.hashes.w),
        lowInfo: this.lowInfo.subarray(0, n),
        mean: this.mean.subarray(0, n),
        std: this.std.subarray(0, n),
      },
      facts,
      frames,
      ...options,
    }
  }
}
