import { CameraKeys, cameraKey, type BurstColumns } from '../../analysis/bursts'
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

  push(row: FrameRow | DuplicateScanRow): void {
    const i = this.length++
    const c = this.cols
    const ms = row.taken_at ? takenAtToMs(row.taken_at) : Number.NaN
    c.ids[i] = row.id
    c.camera[i] = Number.isFinite(ms) ? this.cameras.indexOf(cameraKey(row)) : -1
    c.takenAtMs[i] = ms
    c.lat[i] = num(row.gps_lat)
    c.lon[i] = num(row.gps_lon)
    c.sharpness[i] = num(row.sharpness)
    c.exposure[i] = num(row.exposure)
    c.score[i] = num(row.score)
    c.excluded[i] = this.excluded.has(row.id) ? 1 : 0
    this.checksums.push(row.checksum)
  }

  get capacity(): number {
    return this.cols.ids.length
  }

  build(): BurstColumns {
    const n = this.length
    const c = this.cols
    const content = contentClassesFromChecksums(this.checksums)
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

  constructor(capacity: number, burstExclusions: ReadonlySet<number>) {
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
    const i = this.length++
    this.hashed[i] = row.hashed
    const set = (col: Hash64Column, hi: number, lo: number) => {
      col.hi[i] = hi >>> 0
      col.lo[i] = lo >>> 0
    }
    if (row.hashed) {
      set(this.hashes.a, row.a_hi, row.a_lo)
      set(this.hashes.d, row.d_hi, row.d_lo)
      set(this.hashes.p, row.p_hi, row.p_lo)
      set(this.hashes.w, row.w_hi, row.w_lo)
    }
    this.lowInfo[i] = row.low_information === 1 ? 1 : 0
    this.mean[i] = num(row.grey_mean)
    this.std[i] = num(row.grey_stddev)
    const f = this.facts
    f.format[i] = formatCode(row.format)
    f.width[i] = row.width ?? 0
    f.height[i] = row.height ?? 0
    f.size[i] = row.size
    f.hasDate[i] = row.taken_at ? 1 : 0
    f.hasGps[i] = row.gps_lat !== null && row.gps_lon !== null ? 1 : 0
    f.quality[i] = num(row.score)
    this.checksums.push(row.checksum)
    this.frames.push(row)
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
    const frames = this.frames.build()
    return {
      rows: {
        ids: frames.ids,
        contentClass: contentClassesFromChecksums(this.checksums),
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
