/**
 * CLIP image preprocessing, the pure part: geometry of "resize the shortest side to S, crop the
 * centre S×S" and the per-channel normalisation into the CHW float32 tensor the visual encoder
 * takes. The pixel work (bicubic resize) is sharp's, in src/core/media/clip-input.ts.
 */

/** What a model expects of an image. */
export interface ClipImageSpec {
  /** Side of the square input (224 for ViT-B/32). */
  readonly size: number
  /** Per-channel mean and std of RGB in [0, 1] (OpenAI CLIP's unless the model says otherwise). */
  readonly mean: readonly [number, number, number]
  readonly std: readonly [number, number, number]
}

/** OpenAI CLIP's normalisation constants (also used by most OpenCLIP checkpoints). */
export const OPENAI_CLIP_MEAN: readonly [number, number, number] = [
  0.48145466, 0.4578275, 0.40821073,
]
export const OPENAI_CLIP_STD: readonly [number, number, number] = [
  0.26862954, 0.26130258, 0.27577711,
]

/**
 * Size after scaling so the shortest side is `size` (aspect kept), rounded like Hugging Face's
 * CLIPImageProcessor (the long side is truncated, never below `size`).
 */
export function shortestSideSize(
  width: number,
  height: number,
  size: number,
): { width: number; height: number } {
  if (width <= 0 || height <= 0) throw new Error(`image has no pixels (${width}×${height})`)
  if (width <= height)
    return { width: size, height: Math.max(size, Math.floor((height * size) / width)) }
  return { width: Math.max(size, Math.floor((width * size) / height)), height: size }
}

/** Top-left corner of the centred `size`×`size` crop of a `width`×`height` image. */
export function centreCrop(
  width: number,
  height: number,
  size: number,
): { left: number; top: number } {
  return {
    left: Math.max(0, Math.round((width - size) / 2)),
    top: Math.max(0, Math.round((height - size) / 2)),
  }
}

/**
 * Interleaved 8-bit pixels (RGB or RGBA, `channels` per pixel) of a `size`×`size` image →
 * normalised planar float32 [3, size, size] written into `out` at `offset` (so a whole batch can
 * share one buffer). Returns `out`.
 */
export function normaliseToChw(
  pixels: Uint8Array,
  channels: number,
  spec: ClipImageSpec,
  out: Float32Array = new Float32Array(3 * spec.size * spec.size),
  offset = 0,
): Float32Array {
  const plane = spec.size * spec.size
  if (pixels.length < plane * channels) {
    throw new Error(`expected ${plane * channels} bytes of pixels, got ${pixels.length}`)
  }
  if (channels < 3) throw new Error(`CLIP needs RGB pixels, got ${channels} channel(s)`)
  // One multiply-add per value: v/255 - mean over std == v*scale + bias.
  const scale = spec.std.map((s) => 1 / (255 * s))
  const bias = spec.mean.map((m, c) => -m / (spec.std[c] as number))
  for (let c = 0; c < 3; c++) {
    const sc = scale[c] as number
    const bi = bias[c] as number
    const base = offset + c * plane
    for (let p = 0, i = c; p < plane; p++, i += channels) {
      out[base + p] = (pixels[i] as number) * sc + bi
    }
  }
  return out
}
