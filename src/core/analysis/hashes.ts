/**
 * Perceptual hashes exactly as the Python `imagehash` library defines them (aHash, dHash, pHash,
 * wHash-haar, 64 bits each), so users can compare our values with theirs.
 *
 * imagehash works on a PIL image: `convert('L')` (ITU-R 601-2 luma in 16-bit fixed point), then
 * `resize(..., LANCZOS)`. We reproduce both bit for bit (greyFromRgb, resizeLanczos below follow
 * Pillow's Convert.c and Resample.c), so on the same decoded pixels our hashes equal imagehash's;
 * the only differences come from decoding (libjpeg DCT scaling when we decode at reduced size).
 *
 * Bit order: imagehash flattens its 8x8 boolean array row by row and reads it as one binary number,
 * first element = most significant bit; `str(hash)` is that number as 16 hex digits.
 *
 * Pure: pixel buffers in, bigints out. No I/O.
 */

/** An 8-bit single-channel image, rows top to bottom. */
export interface GreyImage {
  readonly width: number
  readonly height: number
  readonly data: Uint8Array
}

/** The four hashes as unsigned 64-bit values (imagehash bit order). */
export interface PerceptualHashes {
  readonly ahash: bigint
  readonly dhash: bigint
  readonly phash: bigint
  readonly whash: bigint
}

/** Bumped whenever any hash definition or its input pipeline changes (stored as algo_version). */
export const HASH_ALGO_VERSION = 1

/**
 * Long side of the greyscale the analyze task hashes (box-reduced from its decode). imagehash
 * itself works from full resolution; at 256 px our values still agree within ~2 bits (mean < 0.5)
 * on the fixtures, for a quarter of the Lanczos work of 512 px.
 */
export const HASH_INPUT_SIZE = 256

/**
 * PIL's `convert('L')` from RGB(A): L = R*299/1000 + G*587/1000 + B*114/1000, computed the way
 * Pillow does it (16-bit fixed point, rounded): (R*19595 + G*38470 + B*7471 + 0x8000) >> 16.
 * (libvips' own greyscale works in linear light and gives different values, so we do not use it.)
 */
export function greyFromRgb(
  rgb: Uint8Array,
  width: number,
  height: number,
  channels: number,
): GreyImage {
  const n = width * height
  const out = new Uint8Array(n)
  if (channels < 3) {
    for (let i = 0; i < n; i++) out[i] = rgb[i * channels] as number
    return { width, height, data: out }
  }
  for (let i = 0, j = 0; i < n; i++, j += channels) {
    out[i] =
      ((rgb[j] as number) * 19595 +
        (rgb[j + 1] as number) * 38470 +
        (rgb[j + 2] as number) * 7471 +
        0x8000) >>>
      16
  }
  return { width, height, data: out }
}

function sinc(x: number): number {
  if (x === 0) return 1
  const px = x * Math.PI
  return Math.sin(px) / px
}

/** Pillow's Lanczos (a = 3) filter. */
function lanczos(x: number): number {
  return x >= -3 && x < 3 ? sinc(x) * sinc(x / 3) : 0
}

/** Pillow: 32 - 8 - 2 bits of fixed-point precision for 8-bit images. */
const PRECISION_BITS = 22
const ONE = 1 << PRECISION_BITS

interface Coefficients {
  readonly ksize: number
  /** Per output pixel: first input index and tap count. */
  readonly bounds: Int32Array
  /** Fixed-point taps, ksize per output pixel. */
  readonly kk: Int32Array
}

/** Pillow's precompute_coeffs + normalize_coeffs_8bpc for one axis. */
function coefficients(inSize: number, outSize: number): Coefficients {
  const scale = inSize / outSize
  const filterscale = Math.max(scale, 1)
  const support = 3 * filterscale
  const ksize = Math.ceil(support) * 2 + 1
  const bounds = new Int32Array(outSize * 2)
  const kk = new Int32Array(outSize * ksize)
  const pre = new Float64Array(ksize)
  const ss = 1 / filterscale
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale
    // C casts truncate toward zero; Pillow then clamps.
    const xmin = Math.max(0, Math.trunc(center - support + 0.5))
    const xmax = Math.min(inSize, Math.trunc(center + support + 0.5)) - xmin
    let ww = 0
    for (let x = 0; x < xmax; x++) {
      const w = lanczos((x + xmin - center + 0.5) * ss)
      pre[x] = w
      ww += w
    }
    for (let x = 0; x < ksize; x++) {
      const w = x < xmax && ww !== 0 ? (pre[x] as number) / ww : 0
      kk[xx * ksize + x] = w < 0 ? Math.trunc(-0.5 + w * ONE) : Math.trunc(0.5 + w * ONE)
    }
    bounds[xx * 2] = xmin
    bounds[xx * 2 + 1] = xmax
  }
  return { ksize, bounds, kk }
}

function clip8(ss: number): number {
  // Pillow shifts a 32-bit int right (arithmetic, i.e. floor) and clamps through a lookup table.
  const v = Math.floor(ss / ONE)
  return v < 0 ? 0 : v > 255 ? 255 : v
}

/**
 * Pillow's `Image.resize((w, h), Image.LANCZOS)` for mode 'L', bit for bit: a horizontal pass
 * (only over the rows the vertical pass will read) rounded to 8 bits, then a vertical pass.
 */
export function resizeLanczos(image: GreyImage, outWidth: number, outHeight: number): GreyImage {
  const { width: inW, height: inH, data } = image
  const needH = outWidth !== inW
  const needV = outHeight !== inH
  const horiz = coefficients(inW, outWidth)
  const vert = coefficients(inH, outHeight)
  const yFirst = vert.bounds[0] as number
  const yLast =
    (vert.bounds[outHeight * 2 - 2] as number) + (vert.bounds[outHeight * 2 - 1] as number)

  let src = data
  let srcW = inW
  let rowOffset = 0
  if (needH) {
    const rows = yLast - yFirst
    const tmp = new Uint8Array(outWidth * rows)
    const { ksize, bounds, kk } = horiz
    for (let y = 0; y < rows; y++) {
      const inRow = (y + yFirst) * inW
      for (let xx = 0; xx < outWidth; xx++) {
        const xmin = bounds[xx * 2] as number
        const xmax = bounds[xx * 2 + 1] as number
        const k = xx * ksize
        let ss = 1 << (PRECISION_BITS - 1)
        for (let x = 0; x < xmax; x++)
          ss += (data[inRow + x + xmin] as number) * (kk[k + x] as number)
        tmp[y * outWidth + xx] = clip8(ss)
      }
    }
    src = tmp
    srcW = outWidth
    rowOffset = yFirst
  }
  if (!needV) {
    if (!needH) return { width: inW, height: inH, data: data.slice() }
    return { width: outWidth, height: outHeight, data: src }
  }
  const out = new Uint8Array(outWidth * outHeight)
  const { ksize, bounds, kk } = vert
  for (let yy = 0; yy < outHeight; yy++) {
    const ymin = (bounds[yy * 2] as number) - rowOffset
    const ymax = bounds[yy * 2 + 1] as number
    const k = yy * ksize
    for (let xx = 0; xx < srcW; xx++) {
      let ss = 1 << (PRECISION_BITS - 1)
      for (let y = 0; y < ymax; y++)
        ss += (src[(y + ymin) * srcW + xx] as number) * (kk[k + y] as number)
      out[yy * outWidth + xx] = clip8(ss)
    }
  }
  return { width: outWidth, height: outHeight, data: out }
}

/** 64 booleans, row-major, first = most significant bit (imagehash's `_binary_array_to_hex`). */
export function bitsToHash(bits: ArrayLike<boolean>): bigint {
  let value = 0n
  for (let i = 0; i < bits.length; i++) value = (value << 1n) | (bits[i] ? 1n : 0n)
  return value
}

/** numpy.median: the mean of the two middle values for an even count. */
export function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort()
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

/** imagehash.average_hash: 8x8, each pixel > the mean. */
export function aHashOf8x8(small: GreyImage): bigint {
  const px = small.data
  let sum = 0
  for (let i = 0; i < 64; i++) sum += px[i] as number
  const mean = sum / 64
  return bitsToHash(Array.from(px.subarray(0, 64), (v) => v > mean))
}

/** imagehash.dhash: 9 wide x 8 high, each pixel brighter than its left neighbour. */
export function dHashOf9x8(small: GreyImage): bigint {
  const bits: boolean[] = []
  for (let y = 0; y < 8; y++) {
    for (let x = 0; x < 8; x++) {
      bits.push((small.data[y * 9 + x + 1] as number) > (small.data[y * 9 + x] as number))
    }
  }
  return bitsToHash(bits)
}

/**
 * imagehash.phash: 32x32, scipy's unnormalised DCT-II along axis 0 then axis 1, the top-left 8x8
 * block, each coefficient > their median. Only the 8 lowest frequencies per axis are computed.
 */
export function pHashOf32x32(small: GreyImage): bigint {
  const n = 32
  const cos = new Float64Array(8 * n)
  for (let k = 0; k < 8; k++) {
    for (let i = 0; i < n; i++) cos[k * n + i] = 2 * Math.cos((Math.PI * k * (2 * i + 1)) / (2 * n))
  }
  // Along axis 0 (down each column): colDct[k][x].
  const colDct = new Float64Array(8 * n)
  for (let k = 0; k < 8; k++) {
    for (let x = 0; x < n; x++) {
      let s = 0
      for (let y = 0; y < n; y++)
        s += (small.data[y * n + x] as number) * (cos[k * n + y] as number)
      colDct[k * n + x] = s
    }
  }
  const low = new Float64Array(64)
  for (let k = 0; k < 8; k++) {
    for (let j = 0; j < 8; j++) {
      let s = 0
      for (let x = 0; x < n; x++) s += (colDct[k * n + x] as number) * (cos[j * n + x] as number)
      low[k * 8 + j] = s
    }
  }
  const med = median(low)
  return bitsToHash(Array.from(low, (v) => v > med))
}

/** imagehash's default wHash scale for an image: the largest power of two ≤ min(w, h), ≥ 8. */
export function wHashScale(width: number, height: number): number {
  return Math.max(2 ** Math.floor(Math.log2(Math.min(width, height))), 8)
}

/**
 * imagehash.whash (haar, remove_max_haar_ll) on the image already resized to scale x scale.
 *
 * What imagehash does: a full haar decomposition, the max-level LL zeroed and reconstructed
 * (for haar that subtracts the image mean from every pixel), then a haar decomposition down to an
 * 8x8 LL band, each coefficient > their median. A haar LL coefficient at level k is the block sum
 * divided by 2^k, and subtracting one constant from every pixel shifts all 64 coefficients and
 * their median equally, so the bits are exactly "block sum > median of block sums". Integer block
 * sums make this exact (pywt's float round-off can only matter on exact ties).
 */
export function wHashOfSquare(square: GreyImage): bigint {
  const scale = square.width
  const block = scale / 8
  const sums = new Float64Array(64)
  for (let y = 0; y < scale; y++) {
    const row = Math.floor(y / block) * 8
    for (let x = 0; x < scale; x++) {
      const i = row + Math.floor(x / block)
      sums[i] = (sums[i] as number) + (square.data[y * scale + x] as number)
    }
  }
  const med = median(sums)
  return bitsToHash(Array.from(sums, (v) => v > med))
}

/** All four hashes of a greyscale image ('L' pixels at any size). */
export function perceptualHashes(grey: GreyImage): PerceptualHashes {
  return hashesWithStats(grey).hashes
}

/**
 * The four hashes plus the mean and standard deviation of the 32x32 greyscale that pHash uses
 * (so duplicate detection can recognise near-uniform, low-information images).
 */
export function hashesWithStats(grey: GreyImage): {
  hashes: PerceptualHashes
  mean: number
  stddev: number
  lowInformation: boolean
} {
  const scale = wHashScale(grey.width, grey.height)
  const small32 = resizeLanczos(grey, 32, 32)
  const stats = greyStats(small32)
  return {
    hashes: {
      ahash: aHashOf8x8(resizeLanczos(grey, 8, 8)),
      dhash: dHashOf9x8(resizeLanczos(grey, 9, 8)),
      phash: pHashOf32x32(small32),
      whash: wHashOfSquare(resizeLanczos(grey, scale, scale)),
    },
    ...stats,
    lowInformation: isLowInformation(stats),
  }
}

/** 16 lowercase hex digits, as `str(imagehash)`. */
export function hashToHex(hash: bigint): string {
  return BigInt.asUintN(64, hash).toString(16).padStart(16, '0')
}

export function hexToHash(hex: string): bigint {
  if (!/^[0-9a-f]{16}$/i.test(hex)) throw new Error(`not a 64-bit hex hash: "${hex}"`)
  return BigInt(`0x${hex}`)
}

/** Stored form: SQLite INTEGER is signed 64-bit, so the same bits as a signed value. */
export function hashToSigned(hash: bigint): bigint {
  return BigInt.asIntN(64, hash)
}

export function signedToHash(stored: bigint | number): bigint {
  return BigInt.asUintN(64, BigInt(stored))
}

/** Number of differing bits (imagehash's `h1 - h2`). */
export function hammingDistance(a: bigint, b: bigint): number {
  const x = BigInt.asUintN(64, a ^ b)
  const hi = Number(x >> 32n)
  const lo = Number(x & 0xffffffffn)
  return popcount32(hi) + popcount32(lo)
}

export function popcount32(v: number): number {
  let x = v >>> 0
  x = x - ((x >>> 1) & 0x55555555)
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333)
  x = (x + (x >>> 4)) & 0x0f0f0f0f
  return Math.imul(x, 0x01010101) >>> 24
}

/** Mean and standard deviation of a greyscale image (low-information detection). */
export function greyStats(grey: GreyImage): { mean: number; stddev: number } {
  const n = grey.data.length
  let sum = 0
  let sq = 0
  for (let i = 0; i < n; i++) {
    const v = grey.data[i] as number
    sum += v
    sq += v * v
  }
  const mean = sum / n
  return { mean, stddev: Math.sqrt(Math.max(0, sq / n - mean * mean)) }
}

/**
 * Near-uniform images (blank sky, a black frame, a blown-out white page) hash to nearly the same
 * bits whatever they show: the seed catalog's wHash put 5,659 over-exposed images into one bucket.
 * Flag them so duplicate detection asks for stricter evidence. Thresholds are on the 32x32
 * greyscale (0–255): a standard deviation under 6 levels is flat to the eye.
 */
export const LOW_INFORMATION_STDDEV = 6

export function isLowInformation(stats: { stddev: number }): boolean {
  return stats.stddev < LOW_INFORMATION_STDDEV
}
