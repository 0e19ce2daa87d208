import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'

export const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'photos')

/**
 * Removes the EXIF (APP1) segments of a JPEG and nothing else: the pixels stay bit-identical,
 * which is what "the same photo with its EXIF stripped" means (a re-encode would also change
 * the pixels).
 */
export function stripExif(jpeg: Buffer): Buffer {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a JPEG')
  const parts: Buffer[] = [jpeg.subarray(0, 2)]
  let pos = 2
  while (pos + 4 <= jpeg.length && jpeg[pos] === 0xff) {
    const marker = jpeg[pos + 1] as number
    // Start of scan: the rest is entropy-coded data.
    if (marker === 0xda) break
    const length = jpeg.readUInt16BE(pos + 2)
    if (marker !== 0xe1) parts.push(jpeg.subarray(pos, pos + 2 + length))
    pos += 2 + length
  }
  parts.push(jpeg.subarray(pos))
  return Buffer.concat(parts)
}

/** The seven variants of the issue, each a file in `dir`; returns all paths incl. the original. */
export async function writeVariantSet(
  fixture: string,
  dir: string,
  stem: string,
): Promise<string[]> {
  mkdirSync(dir, { recursive: true })
  const source = path.join(FIXTURES, fixture)
  const ext = path.extname(fixture)
  const meta = await sharp(source).metadata()
  const width = meta.width as number
  const height = meta.height as number
  const out = (name: string) => path.join(dir, `${stem}-${name}`)
  const files: string[] = []
  const original = out(`original${ext}`)
  copyFileSync(source, original)
  files.push(original)
  const byteCopy = out(`copy${ext}`)
  copyFileSync(source, byteCopy)
  files.push(byteCopy)
  const jobs: [string, ReturnType<typeof sharp>][] = [
    [
      'resized.jpg',
      sharp(source)
        .resize(Math.round(width / 2))
        .jpeg({ quality: 90 }),
    ],
    ['q60.jpg', sharp(source).jpeg({ quality: 60 })],
    [
      'cropped.jpg',
      sharp(source)
        .extract({
          left: Math.round(width * 0.015),
          top: Math.round(height * 0.015),
          width: Math.round(width * 0.97),
          height: Math.round(height * 0.97),
        })
        .jpeg({ quality: 92 }),
    ],
    ['brighter.jpg', sharp(source).modulate({ brightness: 1.1 }).jpeg({ quality: 92 })],
    ['lossless.png', sharp(source).png()],
  ]
  for (const [name, pipeline] of jobs) {
    await pipeline.toFile(out(name))
    files.push(out(name))
  }
  const stripped = out(`noexif${ext}`)
  if (ext === '.jpg') writeFileSync(stripped, stripExif(readFileSync(source)))
  else await sharp(source).png().toFile(stripped)
  files.push(stripped)
  return files
}

/** An over-exposed and a near-black copy of a fixture (different scenes must never group). */
export async function writeExtremes(fixture: string, dir: string, stem: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true })
  const source = path.join(FIXTURES, fixture)
  const over = path.join(dir, `${stem}-overexposed.jpg`)
  const dark = path.join(dir, `${stem}-dark.jpg`)
  await sharp(source).resize(1024).linear(4, 60).jpeg({ quality: 90 }).toFile(over)
  await sharp(source).resize(1024).linear(0.04, 0).jpeg({ quality: 90 }).toFile(dark)
  return [over, dark]
}

/**
 * Four frames of a burst: the same scene shifted a little each time (a hand-held sequence),
 * EXIF dates 1 s apart from one camera.
 */
export async function writeBurst(fixture: string, dir: string, stem: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true })
  const source = path.join(FIXTURES, fixture)
  const files: string[] = []
  for (let i = 0; i < 4; i++) {
    const file = path.join(dir, `${stem}-frame${i + 1}.jpg`)
    await sharp(source)
      .resize(1200)
      .extract({ left: 20 + i * 6, top: 10 + i * 3, width: 1100, height: 680 })
      .modulate({ brightness: 1 + i * 0.01 })
      .withExif({
        IFD0: { Make: 'BurstCam', Model: 'B-1' },
        IFD2: { DateTimeOriginal: `2020:05:17 09:30:${String(10 + i).padStart(2, '0')}` },
      })
      .jpeg({ quality: 90 })
      .toFile(file)
    files.push(file)
  }
  return files
}
