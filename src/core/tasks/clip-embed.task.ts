import type { ItemErrorCode } from '../../shared/jobs'
import type { MediaFormat } from '../../shared/photos'
import { ClipImageEncoder, type VisualModelRef } from '../clip/image-encoder'
import { clipTensorFromFile, clipTensorFromOriginal, clipTensorFromRgb } from '../media/clip-input'
import { configureSharpForWorker } from '../media/decode'
import { codeOf } from './task-error'

/** One photo to embed: the preview thumbnail when there is one (cheaper), else the original. */
export interface ClipEmbedItem {
  readonly photoId: number
  /** Absolute path of the ≥ 224 px preview thumbnail, or null. */
  readonly preview: string | null
  readonly path: string
  readonly format: MediaFormat | null
}

export interface ClipEmbedInput {
  readonly model: VisualModelRef
  /** onnxruntime intra-op threads for this worker (cores ÷ workers). */
  readonly threads: number
  readonly items: readonly ClipEmbedItem[]
}

export type ClipEmbedResult =
  | {
      readonly photoId: number
      readonly ok: true
      readonly vector: Float32Array
      readonly source: 'preview' | 'original'
    }
  | {
      readonly photoId: number
      readonly ok: false
      readonly code: ItemErrorCode
      readonly message: string
    }

export interface ClipEmbedOutput {
  readonly results: readonly ClipEmbedResult[]
  readonly decodeMs: number
  readonly encodeMs: number
}

/**
 * Test-only fault injection, the same switch as the analyze task's: a worker started with
 * VAM_FAULT_EXIT_ON=<text> exits hard on a batch holding a photo whose path contains <text>,
 * as a native abort would (tests of crash isolation).
 */
const FAULT_EXIT_ON = process.env.VAM_FAULT_EXIT_ON

/**
 * The visual encoder stays loaded for the life of the worker (ViT-B/32 takes ~1 s to load and
 * ~350 MB): keyed by folder + model id so a changed model is reloaded, and only one is kept.
 */
let cached: { key: string; encoder: Promise<ClipImageEncoder> } | null = null

function encoderFor(model: VisualModelRef, threads: number): Promise<ClipImageEncoder> {
  const key = `${model.dir}\0${model.modelId}`
  if (cached?.key !== key) {
    const previous = cached?.encoder
    cached = { key, encoder: ClipImageEncoder.load(model, threads) }
    // A failed load must not stay cached: the next batch tries again (and reports why).
    cached.encoder.catch(() => {
      if (cached?.key === key) cached = null
    })
    void previous?.then((e) => e.release()).catch(() => undefined)
  }
  return cached.encoder
}

/**
 * Embeds a batch of photos: decode each once into its slot of one [N,3,S,S] buffer, then one
 * encoder run for the batch. Per-photo decode failures come back as results, not exceptions.
 */
export async function clipEmbedTask(input: ClipEmbedInput): Promise<ClipEmbedOutput> {
  configureSharpForWorker()
  if (FAULT_EXIT_ON && input.items.some((item) => item.path.includes(FAULT_EXIT_ON)))
    process.exit(70)
  const encoder = await encoderFor(input.model, input.threads)
  const size = encoder.tensorSize
  const pixels = new Float32Array(input.items.length * size)
  const decoded: { photoId: number; source: 'preview' | 'original' }[] = []
  const failed: ClipEmbedResult[] = []
  const t0 = performance.now()
  for (const item of input.items) {
    const offset = decoded.length * size
    try {
      let source: 'preview' | 'original' = 'original'
      if (item.preview) {
        try {
          await clipTensorFromFile(item.preview, input.model.image, pixels, offset)
          source = 'preview'
        } catch {
          // A vanished or damaged cache file: the original is the truth.
        }
      }
      if (source === 'original') {
        await clipTensorFromOriginal(
          { path: item.path, format: item.format },
          input.model.image,
          pixels,
          offset,
        )
      }
      decoded.push({ photoId: item.photoId, source })
    } catch (error) {
      failed.push({
        photoId: item.photoId,
        ok: false,
        code: codeOf(error),
        message: error instanceof Error ? error.message : String(error),
      })
    }
  }
  const t1 = performance.now()
  const vectors =
    decoded.length > 0
      ? await encoder.encode(pixels.subarray(0, decoded.length * size), decoded.length)
      : []
  const t2 = performance.now()
  const results: ClipEmbedResult[] = decoded.map((d, k) => ({
    photoId: d.photoId,
    ok: true,
    vector: vectors[k] as Float32Array,
    source: d.source,
  }))
  return { results: [...results, ...failed], decodeMs: t1 - t0, encodeMs: t2 - t1 }
}

/**
 * For the decode-once pipeline: the CLIP vector of pixels another stage has already decoded
 * (the analyze task's ≤ 1024 px RGB buffer), in the same worker, with the same cached encoder —
 * one small resize and one encoder run, no second decode. Returns an L2-normalised vector.
 */
export async function embedDecodedImage(
  model: VisualModelRef,
  threads: number,
  image: { readonly data: Uint8Array; readonly width: number; readonly height: number },
): Promise<Float32Array> {
  const encoder = await encoderFor(model, threads)
  const pixels = await clipTensorFromRgb(image, model.image)
  const [vector] = await encoder.encode(pixels, 1)
  if (!vector) throw new Error('the image encoder returned no vector')
  return vector
}
