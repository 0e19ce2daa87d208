import { writeFileSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import {
  aHashOf8x8,
  dHashOf9x8,
  pHashOf32x32,
  wHashOfSquare,
  wHashScale,
} from '../src/core/analysis/hashes'
import { scoreQuality } from '../src/core/analysis/quality'

/**
 * Benchmark (b) of bench/analyze.bench.ts, one process: the straightforward pipeline that decodes
 * the full original again for every output, as the seed's Python code did (PIL open + convert per
 * stage). argv: OUT_DIR FILE…
 */
// Same settings as our workers; the cache must be off or libvips would re-use the decodes.
sharp.concurrency(1)
sharp.cache(false)

const [out, ...files] = process.argv.slice(2)

async function fullDecode(file: string) {
  return sharp(file).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true })
}

async function fullGrey(file: string, width: number, height: number) {
  const { data, info } = await fullDecode(file)
  const { data: small, info: si } = await sharp(data, {
    raw: { width: info.width, height: info.height, channels: 3 },
  })
    .greyscale()
    .resize(width, height, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true })
  return {
    width: si.width,
    height: si.height,
    data: new Uint8Array(small.buffer, small.byteOffset, small.length),
  }
}

for (const file of files) {
  const name = path.basename(file)
  for (const [size, ext] of [
    [256, 'webp'],
    [1024, 'jpg'],
  ] as const) {
    const { data, info } = await fullDecode(file)
    const img = sharp(data, {
      raw: { width: info.width, height: info.height, channels: 3 },
    }).resize(size, size, { fit: 'inside' })
    writeFileSync(
      path.join(out as string, `${name}-${size}.${ext}`),
      await (ext === 'webp' ? img.webp({ quality: 80 }) : img.jpeg({ quality: 82 })).toBuffer(),
    )
  }
  aHashOf8x8(await fullGrey(file, 8, 8))
  dHashOf9x8(await fullGrey(file, 9, 8))
  pHashOf32x32(await fullGrey(file, 32, 32))
  const meta = await sharp(file).metadata()
  const scale = wHashScale(meta.width, meta.height)
  wHashOfSquare(await fullGrey(file, scale, scale))
  const q = await fullGrey(file, 512, 384)
  scoreQuality(q, {
    format: 'jpeg',
    width: meta.width,
    height: meta.height,
    bytes: 1,
    hasDate: false,
    hasGps: false,
    hasCamera: false,
  })
}
