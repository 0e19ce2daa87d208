import path from 'node:path'
import type { ClipModel } from './model-manager'
import { loadOrt, openSession, type OrtSession } from './onnx'
import { l2Normalise } from './vector-search'

/** What a worker needs of a model to embed images (plain data: it crosses the process boundary). */
export type VisualModelRef = Pick<ClipModel, 'modelId' | 'dir' | 'dim' | 'image' | 'visual'>

/** The image half of a CLIP model: CHW tensors → L2-normalised vectors. */
export class ClipImageEncoder {
  private constructor(
    readonly model: VisualModelRef,
    private readonly session: OrtSession,
  ) {}

  static async load(model: VisualModelRef, threads: number): Promise<ClipImageEncoder> {
    return new ClipImageEncoder(
      model,
      await openSession(path.join(model.dir, model.visual.file), threads),
    )
  }

  /** Floats in one image's tensor. */
  get tensorSize(): number {
    return 3 * this.model.image.size * this.model.image.size
  }

  /**
   * Embeds `count` images laid out back to back in `pixels` ([count,3,S,S]). Exports with a
   * fixed batch size (often 1) are run in slices of that size.
   */
  async encode(pixels: Float32Array, count: number): Promise<Float32Array[]> {
    const step = this.model.visual.batch ?? count
    const out: Float32Array[] = []
    for (let i = 0; i < count; i += step) {
      const n = Math.min(step, count - i)
      const slice = pixels.subarray(i * this.tensorSize, (i + n) * this.tensorSize)
      out.push(...(await this.run(slice, n)))
    }
    return out
  }

  private async run(pixels: Float32Array, count: number): Promise<Float32Array[]> {
    const ort = await loadOrt()
    const { visual, dim, image } = this.model
    const input = new ort.Tensor('float32', pixels, [count, 3, image.size, image.size])
    const result = await this.session.run({ [visual.input]: input }, [visual.output])
    const output = result[visual.output]
    if (!output || output.dims.length !== 2 || output.dims[0] !== count || output.dims[1] !== dim) {
      throw new Error(
        `image encoder returned ${output ? `[${output.dims.join(',')}]` : 'nothing'}, expected [${count},${dim}]`,
      )
    }
    const data = output.data as Float32Array
    return Array.from({ length: count }, (_, k) => l2Normalise(data.slice(k * dim, (k + 1) * dim)))
  }

  async release(): Promise<void> {
    await this.session.release()
  }
}
