import sharp from 'sharp'
import type { ResizeOptions, Sharp } from 'sharp'
import { normaliseToChw, type ClipImageSpec } from '../clip/preprocess'
import { MAX_INPUT_PIXELS, decodeError, decodeOnce, type DecodeRequest } from './decode'

/**
 * The CLIP input tensor from pixels, the sharp part of CLIP preprocessing: resize so the shortest
 * side is `spec.size` (bicubic, as CLIP's PIL pipeline), crop the centre square, normalise.
 * sharp's `fit: 'cover'` does resize + centre crop in one pass, with JPEG shrink-on-load.
 */

const cover = (spec: ClipImageSpec): ResizeOptions => ({
  width: spec.size,
  height: spec.size,
  fit: 'cover',
  position: 'centre',
  kernel: 'cubic',
})

async function tensorOf(
  pipeline: Sharp,
  spec: ClipImageSpec,
  out?: Float32Array,
  offset?: number,
): Promise<Float32Array> {
  const { data, info } = await pipeline
    .resize(cover(spec))
    .removeAlpha()
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true })
  return normaliseToChw(data, info.channels, spec, out, offset)
}

/**
 * From RGB pixels already decoded (the analyze stage's decode-once buffer): the CLIP tensor costs
 * one small resize, no second decode of the original.
 */
export function clipTensorFromRgb(
  image: { readonly data: Uint8Array; readonly width: number; readonly height: number },
  spec: ClipImageSpec,
  out?: Float32Array,
  offset?: number,
): Promise<Float32Array> {
  const raw = { width: image.width, height: image.height, channels: 3 as const }
  return tensorOf(sharp(image.data, { raw }), spec, out, offset)
}

/**
 * From an image file sharp reads directly, e.g. the 1024 px preview thumbnail (already oriented;
 * `.rotate()` still honours an EXIF orientation if the file has one).
 */
export async function clipTensorFromFile(
  file: string,
  spec: ClipImageSpec,
  out?: Float32Array,
  offset?: number,
): Promise<Float32Array> {
  try {
    const input = sharp(file, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
    return await tensorOf(input.rotate(), spec, out, offset)
  } catch (error) {
    throw decodeError(error)
  }
}

/**
 * From an original of any supported format (RAW preview, HEIC, video frame…) through the
 * analysis' decode-once path, then the small resize.
 */
export async function clipTensorFromOriginal(
  request: DecodeRequest,
  spec: ClipImageSpec,
  out?: Float32Array,
  offset?: number,
): Promise<Float32Array> {
  const decoded = await decodeOnce(request)
  try {
    return await clipTensorFromRgb(decoded, spec, out, offset)
  } catch (error) {
    throw decodeError(error)
  }
}
