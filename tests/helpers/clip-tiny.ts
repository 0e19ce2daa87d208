import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { encodeOnnxModel, OnnxType, type Dim, type OnnxElemType } from './onnx-writer'

/**
 * A tiny CLIP with the real signatures, for tests and benchmarks:
 * - visual: pixel_values float32 [N,3,S,S] → AveragePool to 2×2 → Reshape [N,12] → MatMul → image_embeds [N,D]
 *   The first three output dims are the channel means (after CLIP normalisation); the others are
 *   zero-sum quadrant contrasts, so a uniform image embeds as its colour alone.
 * - textual: input_ids int64 [N,77] → Gather (embedding table) → ReduceMean → MatMul → text_embeds [N,D]
 *   The words "red", "green" and "blue" embed along the colour each uniform image of that colour
 *   produces, so text search over solid-colour photos has a known answer.
 * - tokenizer.json in CLIP's format (byte-level BPE, `</w>` suffix, SOT/EOT), trained on a small
 *   corpus; clip-config.json with dim, image size, mean/std, context length.
 */

export const CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073] as const
export const CLIP_STD = [0.26862954, 0.26130258, 0.27577711] as const

/** What a uniform image of this 0–255 colour looks like after CLIP normalisation. */
export function normalisedColour(rgb: readonly [number, number, number]): number[] {
  return rgb.map((v, c) => (v / 255 - (CLIP_MEAN[c] as number)) / (CLIP_STD[c] as number))
}

const COLOUR_WORDS: Record<string, [number, number, number]> = {
  red: [255, 0, 0],
  green: [0, 255, 0],
  blue: [0, 0, 255],
}

/** Training corpus of the tiny tokenizer's merges (words that tests and the taxonomy use). */
export const TINY_CORPUS = `
a photo of a dog. a photo of a cat. a photo of the beach at sunset. a photo of red, green and blue.
a picture of people in a city street at night. a landscape with mountains and a lake.
food on a table. a portrait of a person. a car on the road. flowers in a garden. a bird in the sky.
snow in the forest. a building in the city. the sea and the sun. an indoor room with light.
a photo taken in daylight. golden hour. blue hour. a photo of a red car and a green tree.
a photo of a boat on the water. children playing in a park. a cat sleeping on a sofa.
the photo photo photo of of of the the the a a a red red green green blue blue dog dog cat cat
beach beach sunset sunset night night city city mountain mountains people people
`

// --- byte-level BPE training (the way CLIP's vocabulary is laid out) ----------------------------

/** GPT-2/CLIP byte → printable unicode char table, in CLIP's vocabulary order. */
export function bytesToUnicode(): [number, string][] {
  const bs: number[] = []
  for (let b = 33; b <= 126; b++) bs.push(b)
  for (let b = 161; b <= 172; b++) bs.push(b)
  for (let b = 174; b <= 255; b++) bs.push(b)
  const cs = [...bs]
  let n = 0
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b)
      cs.push(256 + n)
      n++
    }
  }
  return bs.map((b, i) => [b, String.fromCodePoint(cs[i] as number)])
}

function trainMerges(corpus: string, count: number): [string, string][] {
  const words = new Map<string, number>()
  for (const w of corpus.toLowerCase().match(/[a-z]+/g) ?? []) words.set(w, (words.get(w) ?? 0) + 1)
  let split = [...words].map(([w, n]) => ({ n, parts: [...w.slice(0, -1), `${w.slice(-1)}</w>`] }))
  const merges: [string, string][] = []
  while (merges.length < count) {
    const pairs = new Map<string, number>()
    for (const { n, parts } of split) {
      for (let i = 0; i + 1 < parts.length; i++) {
        const key = `${parts[i]} ${parts[i + 1]}`
        pairs.set(key, (pairs.get(key) ?? 0) + n)
      }
    }
    // Most frequent pair; ties by string so the vocabulary is the same on every run.
    const best = [...pairs].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]
    if (!best) break
    const [left, right] = best[0].split(' ') as [string, string]
    merges.push([left, right])
    split = split.map(({ n, parts }) => {
      const out: string[] = []
      for (let i = 0; i < parts.length; i++) {
        if (parts[i] === left && parts[i + 1] === right) {
          out.push(left + right)
          i++
        } else {
          out.push(parts[i] as string)
        }
      }
      return { n, parts: out }
    })
  }
  return merges
}

export interface TinyTokenizer {
  readonly json: unknown
  readonly vocab: ReadonlyMap<string, number>
  readonly sot: number
  readonly eot: number
}

/** A CLIP-format tokenizer.json (as Hugging Face's openai/clip-vit-base-patch32 ships it). */
export function buildTinyTokenizer(mergeCount = 300): TinyTokenizer {
  const chars = bytesToUnicode().map(([, c]) => c)
  const merges = trainMerges(TINY_CORPUS, mergeCount)
  const tokens = [...chars, ...chars.map((c) => `${c}</w>`), ...merges.map(([a, b]) => a + b)]
  const vocab = new Map<string, number>()
  for (const t of tokens) if (!vocab.has(t)) vocab.set(t, vocab.size)
  const sot = vocab.size
  const eot = sot + 1
  vocab.set('<|startoftext|>', sot)
  vocab.set('<|endoftext|>', eot)
  const special = (id: number, content: string) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: true,
    special: true,
  })
  const json = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special(sot, '<|startoftext|>'), special(eot, '<|endoftext|>')],
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'NFC' },
        { type: 'Replace', pattern: { Regex: '\\s+' }, content: ' ' },
        { type: 'Lowercase' },
      ],
    },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        {
          type: 'Split',
          pattern: {
            Regex:
              "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+",
          },
          behavior: 'Removed',
          invert: true,
        },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
      ],
    },
    post_processor: {
      type: 'RobertaProcessing',
      sep: ['<|endoftext|>', eot],
      cls: ['<|startoftext|>', sot],
      trim_offsets: false,
      add_prefix_space: false,
    },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: '<|endoftext|>',
      continuing_subword_prefix: '',
      end_of_word_suffix: '</w>',
      fuse_unk: false,
      byte_fallback: false,
      vocab: Object.fromEntries(vocab),
      merges: merges.map(([a, b]) => `${a} ${b}`),
    },
  }
  return { json, vocab, sot, eot }
}

// --- the two ONNX graphs -----------------------------------------------------------------------

/** Deterministic pseudo-random numbers in [-1, 1) (a 32-bit LCG), so models are reproducible. */
function seeded(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 31 - 1
  }
}

export interface TinyClipOptions {
  /** 'openclip': visual/model.onnx + textual/model.onnx; 'hf': onnx/vision_model.onnx + onnx/text_model.onnx. */
  readonly layout?: 'openclip' | 'hf'
  readonly dim?: number
  readonly imageSize?: number
  readonly name?: string
  /** Overrides to build broken models (validation tests). */
  readonly visualInputShape?: readonly Dim[]
  readonly visualOutputDim?: number
  readonly textInputShape?: readonly Dim[]
  readonly textInputType?: OnnxElemType
  readonly textOutputDim?: number
  readonly configOverrides?: Record<string, unknown>
  /** Seed of the non-colour weights: two seeds give two different models of the same shape. */
  readonly seed?: number
}

export function visualModel(options: TinyClipOptions = {}): Uint8Array {
  const dim = options.visualOutputDim ?? options.dim ?? 8
  const size = options.imageSize ?? 224
  const half = Math.floor(size / 2)
  const rand = seeded((options.seed ?? 1) * 7919)
  // Features after pooling: index c*4 + q (NCHW flatten of [N,3,2,2]).
  const w = new Float32Array(12 * dim)
  for (let c = 0; c < 3; c++) for (let q = 0; q < 4; q++) w[(c * 4 + q) * dim + c] = 0.25
  for (let d = 3; d < dim; d++) {
    for (let c = 0; c < 3; c++) {
      const quad = [rand(), rand(), rand(), rand()]
      const mean = quad.reduce((a, b) => a + b, 0) / 4
      quad.forEach((v, q) => (w[(c * 4 + q) * dim + d] = (v - mean) * 0.5))
    }
  }
  return encodeOnnxModel({
    name: 'tiny-clip-visual',
    inputs: [
      {
        name: 'pixel_values',
        type: OnnxType.float,
        shape: options.visualInputShape ?? ['batch_size', 3, size, size],
      },
    ],
    outputs: [{ name: 'image_embeds', type: OnnxType.float, shape: ['batch_size', dim] }],
    initializers: [
      { name: 'reshape_to', dims: [2], data: BigInt64Array.from([0n, 12n]) },
      { name: 'projection', dims: [12, dim], data: w },
    ],
    nodes: [
      {
        op: 'AveragePool',
        inputs: ['pixel_values'],
        outputs: ['pooled'],
        attrs: { kernel_shape: { ints: [half, half] }, strides: { ints: [half, half] } },
      },
      { op: 'Reshape', inputs: ['pooled', 'reshape_to'], outputs: ['flat'] },
      { op: 'MatMul', inputs: ['flat', 'projection'], outputs: ['image_embeds'] },
    ],
  })
}

export function textModel(tokenizer: TinyTokenizer, options: TinyClipOptions = {}): Uint8Array {
  const dim = options.textOutputDim ?? options.dim ?? 8
  const vocabSize = tokenizer.vocab.size
  const rand = seeded((options.seed ?? 1) * 104729)
  const table = new Float32Array(vocabSize * dim)
  const colourOf = new Map<number, number[]>()
  for (const [word, rgb] of Object.entries(COLOUR_WORDS)) {
    const id = tokenizer.vocab.get(`${word}</w>`)
    if (id !== undefined) colourOf.set(id, normalisedColour(rgb))
  }
  // Row 0 ('!', CLIP's pad), SOT and EOT stay zero so padding does not move the mean's direction.
  for (let id = 1; id < vocabSize; id++) {
    if (id === tokenizer.sot || id === tokenizer.eot) continue
    const colour = colourOf.get(id)
    for (let d = 0; d < dim; d++) {
      table[id * dim + d] = colour
        ? d < 3
          ? (colour[d] as number)
          : 0
        : rand() * (d < 3 ? 0.2 : 0.5)
    }
  }
  const identity = new Float32Array(dim * dim)
  for (let d = 0; d < dim; d++) identity[d * dim + d] = 1
  const idType = options.textInputType ?? OnnxType.int64
  const castNodes =
    idType === OnnxType.int64
      ? []
      : [
          {
            op: 'Cast',
            inputs: ['input_ids'],
            outputs: ['ids64'],
            attrs: { to: { int: OnnxType.int64 } },
          },
        ]
  return encodeOnnxModel({
    name: 'tiny-clip-textual',
    inputs: [
      { name: 'input_ids', type: idType, shape: options.textInputShape ?? ['batch_size', 77] },
    ],
    outputs: [{ name: 'text_embeds', type: OnnxType.float, shape: ['batch_size', dim] }],
    initializers: [
      { name: 'token_embedding', dims: [vocabSize, dim], data: table },
      { name: 'text_projection', dims: [dim, dim], data: identity },
    ],
    nodes: [
      ...castNodes,
      {
        op: 'Gather',
        inputs: ['token_embedding', castNodes.length > 0 ? 'ids64' : 'input_ids'],
        outputs: ['tokens'],
        attrs: { axis: { int: 0 } },
      },
      {
        op: 'ReduceMean',
        inputs: ['tokens'],
        outputs: ['pooled'],
        attrs: { axes: { ints: [1] }, keepdims: { int: 0 } },
      },
      { op: 'MatMul', inputs: ['pooled', 'text_projection'], outputs: ['text_embeds'] },
    ],
  })
}

/** Writes a complete tiny model folder; returns the tokenizer (tests derive expected ids from it). */
export function writeTinyClip(dir: string, options: TinyClipOptions = {}): TinyTokenizer {
  const tokenizer = buildTinyTokenizer()
  const layout = options.layout ?? 'openclip'
  const [visualFile, textFile] =
    layout === 'openclip'
      ? ['visual/model.onnx', 'textual/model.onnx']
      : ['onnx/vision_model.onnx', 'onnx/text_model.onnx']
  for (const file of [visualFile, textFile])
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
  writeFileSync(path.join(dir, visualFile), visualModel(options))
  writeFileSync(path.join(dir, textFile), textModel(tokenizer, options))
  writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(tokenizer.json))
  writeFileSync(
    path.join(dir, 'tokenizer_config.json'),
    JSON.stringify({ pad_token: '<|endoftext|>', model_max_length: 77 }),
  )
  writeFileSync(
    path.join(dir, 'clip-config.json'),
    JSON.stringify(
      {
        name: options.name ?? 'clip-tiny',
        embedDim: options.dim ?? 8,
        imageSize: options.imageSize ?? 224,
        mean: CLIP_MEAN,
        std: CLIP_STD,
        contextLength: 77,
        ...options.configOverrides,
      },
      null,
      2,
    ),
  )
  return tokenizer
}
