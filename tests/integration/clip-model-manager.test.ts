import {
  cpSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ModelError, inspectModel } from '../../src/core/clip/model-manager'
import { ClipTextEncoder } from '../../src/core/clip/text-encoder'
import { ClipImageEncoder } from '../../src/core/clip/image-encoder'
import { writeTinyClip, type TinyClipOptions } from '../helpers/clip-tiny'
import { OnnxType } from '../helpers/onnx-writer'

const root = mkdtempSync(path.join(os.tmpdir(), 'vam-clip-model-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
let n = 0

function tinyModel(options: TinyClipOptions = {}): string {
  const dir = path.join(root, `model-${++n}`)
  writeTinyClip(dir, options)
  return dir
}

/** The ModelError message of a folder (fails the test if it is accepted). */
async function problemsOf(dir: string): Promise<string> {
  try {
    await inspectModel(dir)
  } catch (error) {
    expect(error).toBeInstanceOf(ModelError)
    return (error as Error).message
  }
  throw new Error(`${dir} was accepted`)
}

describe(inspectModel.name, () => {
  it('accepts the OpenCLIP layout and reads names, shapes and config', async () => {
    const model = await inspectModel(tinyModel())
    expect(model).toMatchObject({
      name: 'clip-tiny',
      layout: 'openclip',
      dim: 8,
      contextLength: 77,
      logitScale: 100,
      image: { size: 224 },
      visual: {
        file: 'visual/model.onnx',
        input: 'pixel_values',
        output: 'image_embeds',
        batch: null,
      },
      textual: {
        file: 'textual/model.onnx',
        input: 'input_ids',
        inputType: 'int64',
        attentionMask: null,
        output: 'text_embeds',
      },
      tokenizer: {
        file: 'tokenizer.json',
        configFile: 'tokenizer_config.json',
        padToken: '<|endoftext|>',
      },
    })
    expect(model.modelId).toMatch(/^clip-tiny-[0-9a-f]{16}$/)
    expect(model.files.map((f) => f.role).sort()).toEqual([
      'config',
      'textual',
      'tokenizer',
      'tokenizer-config',
      'visual',
    ])
  })

  it('accepts the Hugging Face layout (onnx/vision_model.onnx + onnx/text_model.onnx) and int32 ids', async () => {
    const model = await inspectModel(tinyModel({ layout: 'hf', textInputType: OnnxType.int32 }))
    expect(model.layout).toBe('hf')
    expect(model.visual.file).toBe('onnx/vision_model.onnx')
    expect(model.textual).toMatchObject({ file: 'onnx/text_model.onnx', inputType: 'int32' })
  })

  it('reads an OpenCLIP/Immich config (config.json + visual/preprocess_cfg.json) instead of ours', async () => {
    const dir = tinyModel()
    unlinkSync(path.join(dir, 'clip-config.json'))
    writeFileSync(
      path.join(dir, 'config.json'),
      JSON.stringify({
        embed_dim: 8,
        vision_cfg: { image_size: 224 },
        text_cfg: { context_length: 77 },
      }),
    )
    writeFileSync(
      path.join(dir, 'visual/preprocess_cfg.json'),
      JSON.stringify({
        size: [224, 224],
        mean: [0.5, 0.5, 0.5],
        std: [0.25, 0.25, 0.25],
        interpolation: 'bicubic',
      }),
    )
    const model = await inspectModel(dir)
    expect(model.image).toEqual({ size: 224, mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] })
    expect(model.configSources).toMatchObject({
      embedDim: 'config.json',
      mean: 'visual/preprocess_cfg.json',
    })
    expect(model.name).toBe(path.basename(dir))
  })

  it('reads a Hugging Face config (config.json + preprocessor_config.json), as Xenova/clip-vit-base-patch32 ships', async () => {
    const dir = tinyModel({ layout: 'hf' })
    unlinkSync(path.join(dir, 'clip-config.json'))
    writeFileSync(
      path.join(dir, 'config.json'),
      JSON.stringify({
        projection_dim: 8,
        logit_scale_init_value: 2.6592,
        text_config: { max_position_embeddings: 77 },
        vision_config: { image_size: 224 },
      }),
    )
    writeFileSync(
      path.join(dir, 'preprocessor_config.json'),
      JSON.stringify({
        crop_size: { height: 224, width: 224 },
        size: { shortest_edge: 224 },
        image_mean: [0.48145466, 0.4578275, 0.40821073],
        image_std: [0.26862954, 0.26130258, 0.27577711],
      }),
    )
    const model = await inspectModel(dir)
    expect(model).toMatchObject({ dim: 8, contextLength: 77, image: { size: 224 } })
    // The trained scale (100), not e^logit_scale_init_value (≈ 14): that is CLIP's value before training.
    expect(model.logitScale).toBe(100)
    expect(model.configSources).toMatchObject({
      embedDim: 'config.json',
      std: 'preprocessor_config.json',
      logitScale: 'default',
    })
  })

  it('falls back to a quantized export when it is the only one', async () => {
    const dir = tinyModel({ layout: 'hf' })
    renameSync(
      path.join(dir, 'onnx/vision_model.onnx'),
      path.join(dir, 'onnx/vision_model_quantized.onnx'),
    )
    const model = await inspectModel(dir)
    expect(model.visual.file).toBe('onnx/vision_model_quantized.onnx')
  })

  it('names the model by content: same bytes elsewhere → same id; one changed byte → a new id', async () => {
    const dir = tinyModel()
    const copy = path.join(root, 'copy-of-model')
    cpSync(dir, copy, { recursive: true })
    const a = await inspectModel(dir)
    const b = await inspectModel(copy)
    expect(b.modelId).toBe(a.modelId)
    const other = await inspectModel(tinyModel({ seed: 2 }))
    expect(other.modelId).not.toBe(a.modelId)
    expect(other.modelId.startsWith('clip-tiny-')).toBe(true)
  })

  it('says which files are missing', async () => {
    const dir = tinyModel()
    rmSync(path.join(dir, 'textual'), { recursive: true })
    unlinkSync(path.join(dir, 'tokenizer.json'))
    const message = await problemsOf(dir)
    expect(message).toMatch(
      /no text encoder: expected one of textual\/model\.onnx, text_model\.onnx/,
    )
    expect(message).toMatch(/no tokenizer: expected tokenizer\.json or textual\/tokenizer\.json/)
    expect(message).not.toMatch(/image encoder/)
  })

  it('refuses a folder that does not exist, or a file', async () => {
    expect(await problemsOf(path.join(root, 'nope'))).toMatch(/the folder does not exist/)
    expect(await problemsOf(path.join(tinyModel(), 'clip-config.json'))).toMatch(
      /a file, not a folder/,
    )
  })

  it('recognises a text file named model.onnx, and a Git LFS pointer', async () => {
    const dir = tinyModel()
    writeFileSync(path.join(dir, 'visual/model.onnx'), 'this is not a model\n')
    writeFileSync(
      path.join(dir, 'textual/model.onnx'),
      'version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 254000000\n',
    )
    const message = await problemsOf(dir)
    expect(message).toMatch(
      /visual\/model\.onnx is a text file, not an ONNX model \(it starts with "this is not a model/,
    )
    expect(message).toMatch(/textual\/model\.onnx is a Git LFS pointer, not the model/)
  })

  it('reports a damaged binary ONNX file with onnxruntime’s reason', async () => {
    const dir = tinyModel()
    const bytes = readFileSync(path.join(dir, 'visual/model.onnx'))
    writeFileSync(path.join(dir, 'visual/model.onnx'), bytes.subarray(0, bytes.length - 100))
    expect(await problemsOf(dir)).toMatch(
      /visual\/model\.onnx could not be loaded by onnxruntime: /,
    )
  })

  it('catches an image size that disagrees with the config', async () => {
    const dir = tinyModel({ visualInputShape: ['batch', 3, 256, 256] })
    expect(await problemsOf(dir)).toMatch(
      /visual\/model\.onnx input pixel_values float32\[batch,3,256,256\] takes 256×256 images but the config says image size 224 \(clip-config\.json\)/,
    )
  })

  it('catches a visual input that is not RGB NCHW', async () => {
    const dir = tinyModel({ visualInputShape: ['batch', 4, 224, 224] })
    expect(await problemsOf(dir)).toMatch(/must have 3 channels \(NCHW\), not 4/)
  })

  it('catches embedding sizes that disagree with the config', async () => {
    const dir = tinyModel({ textOutputDim: 6 })
    expect(await problemsOf(dir)).toMatch(
      /textual\/model\.onnx output text_embeds float32\[batch_size,6\] gives 6 values per text but the config says embedding size 8/,
    )
  })

  it('catches encoders that disagree with each other when the config does not say', async () => {
    const dir = tinyModel({
      visualOutputDim: 8,
      textOutputDim: 6,
      configOverrides: { embedDim: undefined },
    })
    expect(await problemsOf(dir)).toMatch(
      /the encoders disagree: visual\/model\.onnx gives 8-d vectors, textual\/model\.onnx gives 6-d/,
    )
  })

  it('catches a text input of the wrong length', async () => {
    const dir = tinyModel({ textInputShape: ['batch', 64] })
    expect(await problemsOf(dir)).toMatch(
      /input_ids int64\[batch,64\] takes 64 tokens but the config says context length 77/,
    )
  })

  it('catches a missing or broken config and a non-CLIP tokenizer', async () => {
    const dir = tinyModel()
    unlinkSync(path.join(dir, 'clip-config.json'))
    writeFileSync(
      path.join(dir, 'tokenizer.json'),
      JSON.stringify({ model: { type: 'WordPiece', vocab: {} } }),
    )
    const message = await problemsOf(dir)
    expect(message).toMatch(/no model config: expected clip-config\.json/)
    expect(message).toMatch(/tokenizer\.json is not a BPE tokenizer \(model\.type is "WordPiece"\)/)
    const bad = tinyModel()
    writeFileSync(path.join(bad, 'clip-config.json'), '{ "embedDim": 8, ')
    expect(await problemsOf(bad)).toMatch(/clip-config\.json is not valid JSON/)
    const negative = tinyModel({ configOverrides: { std: [0.2, 0, 0.2] } })
    expect(await problemsOf(negative)).toMatch(
      /std \[0\.2,0,0\.2\] \(from clip-config\.json\) must be > 0/,
    )
  })
})

describe('the encoders', () => {
  it('embed images and texts into one unit-length space (tiny model: colour words ↔ colours)', async () => {
    const model = await inspectModel(tinyModel())
    const image = await ClipImageEncoder.load(model, 1)
    const text = await ClipTextEncoder.load(model, 1)
    try {
      // Two uniform images, red and blue, normalised as CLIP preprocessing would.
      const size = 224 * 224
      const pixels = new Float32Array(2 * 3 * size)
      const fill = (img: number, rgb: number[]) =>
        rgb.forEach((v, c) =>
          pixels.fill(
            (v / 255 - (model.image.mean[c] as number)) / (model.image.std[c] as number),
            (img * 3 + c) * size,
            (img * 3 + c + 1) * size,
          ),
        )
      fill(0, [255, 0, 0])
      fill(1, [0, 0, 255])
      const [red, blue] = await image.encode(pixels, 2)
      const [redText, blueText] = await text.encode(['a photo of something red', 'blue'])
      const dot = (a?: Float32Array, b?: Float32Array) =>
        (a as Float32Array).reduce((s, x, i) => s + x * ((b as Float32Array)[i] as number), 0)
      for (const v of [red, blue, redText, blueText]) expect(dot(v, v)).toBeCloseTo(1, 5)
      expect(dot(redText, red)).toBeGreaterThan(dot(redText, blue))
      expect(dot(blueText, blue)).toBeGreaterThan(dot(blueText, red))
      expect(dot(blueText, blue)).toBeGreaterThan(0.95)
    } finally {
      await image.release()
      await text.release()
    }
  })
})
