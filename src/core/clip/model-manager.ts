import { createHash } from 'node:crypto'
import { createReadStream, existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { OPENAI_CLIP_MEAN, OPENAI_CLIP_STD, type ClipImageSpec } from './preprocess'
import {
  formatShape,
  inputsOf,
  openSession,
  outputsOf,
  type OrtSession,
  type TensorInfo,
} from './onnx'

/**
 * The CLIP model manager: finds the encoders, tokenizer and config in a model folder (the common
 * OpenCLIP / Immich and Hugging Face ONNX export layouts), checks them against what onnxruntime
 * reports (input/output names, types, ranks, dimensions), and names the model by content
 * (`model_id` = name + hash) so vectors of two models are never mixed.
 */

/** Which export layout a folder follows. */
export type ClipLayout = 'openclip' | 'hf' | 'flat'

export interface ModelFile {
  /** visual, textual, tokenizer, tokenizer-config, config, external-data */
  readonly role: string
  /** Path relative to the model folder (forward slashes). */
  readonly path: string
  readonly bytes: number
  readonly mtimeMs: number
}

export interface VisualIo {
  readonly file: string
  readonly input: string
  readonly output: string
  /** Fixed batch size of the export (e.g. 1), or null when the batch dimension is dynamic. */
  readonly batch: number | null
}

export interface TextualIo {
  readonly file: string
  readonly input: string
  readonly inputType: 'int64' | 'int32'
  /** Name of the attention-mask input when the export has one. */
  readonly attentionMask: string | null
  readonly output: string
  readonly batch: number | null
}

/** A validated model: everything the encoders need, stored as clip_models.info. */
export interface ClipModel {
  readonly modelId: string
  readonly name: string
  /** Absolute folder. */
  readonly dir: string
  readonly layout: ClipLayout
  readonly dim: number
  readonly image: ClipImageSpec
  readonly contextLength: number
  /** CLIP's learned temperature (100 for OpenAI/OpenCLIP); zero-shot tags use it in a softmax. */
  readonly logitScale: number
  readonly tokenizer: {
    readonly file: string
    readonly configFile: string | null
    readonly padToken: string | null
  }
  readonly visual: VisualIo
  readonly textual: TextualIo
  readonly files: readonly ModelFile[]
  /** Which file each config value came from (or 'default'). */
  readonly configSources: Readonly<Record<string, string>>
  readonly hash: string
}

/** A folder that is not a usable model; the message lists every problem found. */
export class ModelError extends Error {
  constructor(
    readonly dir: string,
    readonly problems: readonly string[],
  ) {
    super(
      problems.length === 1
        ? `not a usable CLIP model folder (${dir}): ${problems[0]}`
        : `not a usable CLIP model folder (${dir}):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    )
    this.name = 'ModelError'
  }
}

/** Full-precision files first; a quantized export is used only when it is all the folder has. */
const VISUAL_CANDIDATES = [
  'visual/model.onnx',
  'vision_model.onnx',
  'onnx/vision_model.onnx',
  'visual.onnx',
  'onnx/vision_model_quantized.onnx',
]
const TEXTUAL_CANDIDATES = [
  'textual/model.onnx',
  'text_model.onnx',
  'onnx/text_model.onnx',
  'textual.onnx',
  'onnx/text_model_quantized.onnx',
]
const TOKENIZER_CANDIDATES = ['tokenizer.json', 'textual/tokenizer.json']
/** Config files read, in priority order. `clip-config.json` is ours (see docs/clip.md). */
const CONFIG_CANDIDATES = [
  'clip-config.json',
  'config.json',
  'open_clip_config.json',
  'visual/preprocess_cfg.json',
  'preprocessor_config.json',
]
const VISUAL_OUTPUT_NAMES = ['image_embeds', 'embedding', 'embeddings', 'image_features', 'output']
const TEXTUAL_OUTPUT_NAMES = ['text_embeds', 'embedding', 'embeddings', 'text_features', 'output']
const TEXT_INPUT_NAMES = ['input_ids', 'text', 'input']

const rel = (file: string) => file.split(path.sep).join('/')

function firstExisting(dir: string, candidates: readonly string[]): string | null {
  for (const candidate of candidates) {
    const full = path.join(dir, candidate)
    if (existsSync(full) && statSync(full).isFile()) return candidate
  }
  return null
}

function layoutOf(visual: string): ClipLayout {
  if (visual.startsWith('visual/')) return 'openclip'
  if (visual.includes('vision_model')) return 'hf'
  return 'flat'
}

// --- config -------------------------------------------------------------------------------------

type Json = Record<string, unknown>

function readJson(file: string, problems: string[], label: string): Json | null {
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'))
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Json
    problems.push(`${label} is not a JSON object`)
  } catch (error) {
    problems.push(`${label} is not valid JSON (${(error as Error).message})`)
  }
  return null
}

const obj = (v: unknown): Json | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined
const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined
/** 224, [224, 224] or {height: 224, width: 224} / {shortest_edge: 224} → 224. */
function sizeOf(v: unknown): number | undefined {
  if (Array.isArray(v)) return num(v[0])
  const o = obj(v)
  if (o) return num(o.height) ?? num(o.shortest_edge)
  return num(v)
}
const triple = (v: unknown): [number, number, number] | undefined =>
  Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'number')
    ? (v as [number, number, number])
    : undefined

interface ConfigValues {
  name?: string
  embedDim?: number
  imageSize?: number
  mean?: [number, number, number]
  std?: [number, number, number]
  contextLength?: number
  logitScale?: number
}

/** Reads one config file in whichever of the known dialects it is written. */
function valuesFrom(file: string, json: Json): ConfigValues {
  const base = path.basename(file)
  if (base === 'clip-config.json') {
    return {
      name: typeof json.name === 'string' ? json.name : undefined,
      embedDim: num(json.embedDim),
      imageSize: num(json.imageSize),
      mean: triple(json.mean),
      std: triple(json.std),
      contextLength: num(json.contextLength),
      logitScale: num(json.logitScale),
    }
  }
  if (base === 'preprocess_cfg.json' || base === 'preprocessor_config.json') {
    return {
      imageSize: sizeOf(json.crop_size) ?? sizeOf(json.size),
      mean: triple(json.mean) ?? triple(json.image_mean),
      std: triple(json.std) ?? triple(json.image_std),
    }
  }
  // OpenCLIP model config (config.json in Immich exports, model_cfg in open_clip_config.json)
  // or a Hugging Face CLIPConfig (projection_dim, vision_config, text_config).
  const model = obj(json.model_cfg) ?? json
  const pre = obj(json.preprocess_cfg)
  const visionCfg = obj(model.vision_cfg) ?? obj(model.vision_config)
  const textCfg = obj(model.text_cfg) ?? obj(model.text_config)
  return {
    embedDim: num(model.embed_dim) ?? num(model.projection_dim),
    imageSize: sizeOf(pre?.size) ?? num(visionCfg?.image_size),
    mean: triple(pre?.mean),
    std: triple(pre?.std),
    // Not logit_scale_init_value: that is the value before training (e^2.66 ≈ 14), while
    // trained CLIP models end at the clamp, 100 — our default.
    contextLength: num(textCfg?.context_length) ?? num(textCfg?.max_position_embeddings),
  }
}

interface ResolvedConfig {
  readonly name: string
  readonly embedDim: number | undefined
  readonly imageSize: number | undefined
  readonly mean: [number, number, number]
  readonly std: [number, number, number]
  readonly contextLength: number
  readonly logitScale: number
  readonly sources: Record<string, string>
  readonly files: string[]
}

function resolveConfig(dir: string, problems: string[]): ResolvedConfig {
  const sources: Record<string, string> = {}
  const merged: ConfigValues = {}
  const files: string[] = []
  let seen = false
  for (const candidate of CONFIG_CANDIDATES) {
    const full = path.join(dir, candidate)
    if (!existsSync(full)) continue
    seen = true
    const json = readJson(full, problems, candidate)
    if (!json) continue
    files.push(candidate)
    for (const [key, value] of Object.entries(valuesFrom(candidate, json))) {
      if (value === undefined || key in merged) continue
      ;(merged as Record<string, unknown>)[key] = value
      sources[key] = candidate
    }
  }
  if (!seen) {
    problems.push(
      `no model config: expected clip-config.json ({"embedDim", "imageSize", "mean", "std", "contextLength"}), ` +
        'an OpenCLIP config.json, or a Hugging Face config.json + preprocessor_config.json',
    )
  }
  const pick = <K extends keyof ConfigValues>(key: K, fallback: NonNullable<ConfigValues[K]>) => {
    if (merged[key] !== undefined) return merged[key] as NonNullable<ConfigValues[K]>
    sources[key] = 'default'
    return fallback
  }
  const resolved: ResolvedConfig = {
    name: merged.name ?? path.basename(path.resolve(dir)),
    embedDim: merged.embedDim,
    imageSize: merged.imageSize,
    mean: pick('mean', [...OPENAI_CLIP_MEAN]),
    std: pick('std', [...OPENAI_CLIP_STD]),
    contextLength: pick('contextLength', 77),
    logitScale: pick('logitScale', 100),
    sources,
    files,
  }
  checkConfigValues(resolved, problems)
  return resolved
}

function checkConfigValues(c: ResolvedConfig, problems: string[]): void {
  const where = (key: string) => (c.sources[key] ? ` (from ${c.sources[key]})` : '')
  const isInt = (v: number | undefined, lo: number, hi: number) =>
    v !== undefined && Number.isInteger(v) && v >= lo && v <= hi
  if (c.embedDim !== undefined && !isInt(c.embedDim, 1, 65536)) {
    problems.push(`embedding size ${c.embedDim}${where('embedDim')} is not a positive integer`)
  }
  if (c.imageSize !== undefined && !isInt(c.imageSize, 8, 4096)) {
    problems.push(
      `image size ${c.imageSize}${where('imageSize')} must be an integer between 8 and 4096`,
    )
  }
  if (!isInt(c.contextLength, 3, 4096)) {
    problems.push(
      `context length ${c.contextLength}${where('contextLength')} must be an integer ≥ 3`,
    )
  }
  if (c.std.some((s) => !(s > 0)))
    problems.push(`std ${JSON.stringify(c.std)}${where('std')} must be > 0`)
  if (!(c.logitScale > 0)) problems.push(`logit scale ${c.logitScale} must be > 0`)
}

// --- tokenizer ------------------------------------------------------------------------------------

function checkTokenizer(
  dir: string,
  file: string,
  problems: string[],
): { padToken: string | null; configFile: string | null } {
  const json = readJson(path.join(dir, file), problems, file)
  const model = obj(json?.model)
  if (json && model?.type !== 'BPE') {
    problems.push(
      `${file} is not a BPE tokenizer (model.type is ${JSON.stringify(model?.type ?? null)}); CLIP uses byte-level BPE`,
    )
  }
  const vocab = obj(model?.vocab)
  if (model && !vocab) problems.push(`${file} has no model.vocab`)
  for (const special of ['<|startoftext|>', '<|endoftext|>']) {
    if (vocab && num(vocab[special]) === undefined)
      problems.push(`${file} has no ${special} token (not a CLIP tokenizer)`)
  }
  const configFile = rel(path.join(path.dirname(file), 'tokenizer_config.json'))
  if (!existsSync(path.join(dir, configFile))) return { padToken: null, configFile: null }
  const config = readJson(path.join(dir, configFile), problems, configFile)
  const pad = config?.pad_token
  const padToken =
    typeof pad === 'string'
      ? pad
      : typeof obj(pad)?.content === 'string'
        ? (obj(pad)?.content as string)
        : null
  if (padToken !== null && vocab && num(vocab[padToken]) === undefined) {
    problems.push(
      `${configFile} names pad token ${JSON.stringify(padToken)}, which is not in ${file}'s vocabulary`,
    )
  }
  return { padToken, configFile }
}

// --- ONNX files -----------------------------------------------------------------------------------

/** A text file where a model should be (most often a Git LFS pointer from a clone without LFS). */
function textFileProblem(dir: string, file: string): string | null {
  const full = path.join(dir, file)
  const size = statSync(full).size
  if (size === 0) return `${file} is empty`
  const head = readFileSync(full).subarray(0, Math.min(size, 512))
  const printable = head.every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127))
  if (!printable) return null
  const text = head.toString('utf8')
  if (text.startsWith('version https://git-lfs')) {
    return `${file} is a Git LFS pointer, not the model: fetch the real file (git lfs pull, or download it from the model page)`
  }
  return `${file} is a text file, not an ONNX model (it starts with ${JSON.stringify(text.slice(0, 40))})`
}

async function openChecked(
  dir: string,
  file: string,
  problems: string[],
): Promise<OrtSession | null> {
  const textProblem = textFileProblem(dir, file)
  if (textProblem) {
    problems.push(textProblem)
    return null
  }
  try {
    return await openSession(path.join(dir, file), 1)
  } catch (error) {
    const reason = (error as Error).message.replace(/\s+/g, ' ').trim()
    problems.push(`${file} could not be loaded by onnxruntime: ${reason}`)
    return null
  }
}

const numericDim = (d: number | string | undefined): number | null =>
  typeof d === 'number' && d > 0 ? d : null
const describe = (t: TensorInfo) => `${t.name} ${t.type}${formatShape(t.shape)}`

function pickOutput(outputs: TensorInfo[], preferred: readonly string[]): TensorInfo | undefined {
  return (
    preferred.map((name) => outputs.find((o) => o.name === name)).find((o) => o !== undefined) ??
    outputs.find((o) => o.type === 'float32' && o.shape.length === 2)
  )
}

/**
 * The encoder's embedding output: [batch, dim] float32, with as many values per image or text
 * (`per`) as the config says. Null when the model has no such output.
 */
function checkEmbeddingOutput(
  file: string,
  outputs: TensorInfo[],
  preferred: readonly string[],
  per: 'image' | 'text',
  config: ResolvedConfig,
  fail: (message: string) => void,
): { output: TensorInfo; dim: number | null } | null {
  const output = pickOutput(outputs, preferred)
  if (!output) {
    fail(
      `${file} has no [batch, dim] float32 embedding output (outputs: ${outputs.map(describe).join(', ')})`,
    )
    return null
  }
  if (output.type !== 'float32' || output.shape.length !== 2) {
    fail(`${file} output ${describe(output)} must be float32 [batch, dim]`)
  }
  const dim = numericDim(output.shape[1])
  if (dim !== null && config.embedDim !== undefined && dim !== config.embedDim) {
    fail(
      `${file} output ${describe(output)} gives ${dim} values per ${per} but the config says embedding size ${config.embedDim} (${config.sources.embedDim})`,
    )
  }
  return { output, dim }
}

function checkVisual(
  file: string,
  session: OrtSession,
  config: ResolvedConfig,
  problems: string[],
): { io: VisualIo; dim: number | null; size: number | null } | null {
  const inputs = inputsOf(session)
  const outputs = outputsOf(session)
  const input = inputs.find((i) => i.shape.length === 4) ?? inputs[0]
  let ok = true
  const fail = (message: string) => {
    problems.push(message)
    ok = false
  }
  if (!input) {
    fail(`${file} has no inputs`)
    return null
  }
  for (const extra of inputs.filter((i) => i !== input)) {
    fail(`${file} has an input we cannot feed: ${describe(extra)} (expected only the image tensor)`)
  }
  if (input.type !== 'float32') fail(`${file} input ${describe(input)} must be float32`)
  if (input.shape.length !== 4) {
    fail(`${file} input ${describe(input)} must have rank 4 [batch,3,size,size]`)
  } else {
    const channels = numericDim(input.shape[1])
    const h = numericDim(input.shape[2])
    const w = numericDim(input.shape[3])
    if (channels !== null && channels !== 3)
      fail(`${file} input ${describe(input)} must have 3 channels (NCHW), not ${channels}`)
    if (h !== null && w !== null && h !== w)
      fail(`${file} input ${describe(input)} is not square (${h}×${w})`)
    const size = h ?? w
    if (size !== null && config.imageSize !== undefined && size !== config.imageSize) {
      fail(
        `${file} input ${describe(input)} takes ${size}×${size} images but the config says image size ${config.imageSize} (${config.sources.imageSize})`,
      )
    }
  }
  const embedding = checkEmbeddingOutput(file, outputs, VISUAL_OUTPUT_NAMES, 'image', config, fail)
  if (!embedding || !ok) return null
  const { output, dim } = embedding
  return {
    io: { file, input: input.name, output: output.name, batch: numericDim(input.shape[0]) },
    dim,
    size: numericDim(input.shape[2]),
  }
}

function checkTextual(
  file: string,
  session: OrtSession,
  config: ResolvedConfig,
  problems: string[],
): { io: TextualIo; dim: number | null } | null {
  const inputs = inputsOf(session)
  const outputs = outputsOf(session)
  const ids =
    TEXT_INPUT_NAMES.map((n) => inputs.find((i) => i.name === n)).find((i) => i !== undefined) ??
    inputs.find((i) => i.name !== 'attention_mask')
  let ok = true
  const fail = (message: string) => {
    problems.push(message)
    ok = false
  }
  if (!ids) {
    fail(`${file} has no token-id input`)
    return null
  }
  const mask = inputs.find((i) => i.name === 'attention_mask') ?? null
  for (const extra of inputs.filter((i) => i !== ids && i !== mask)) {
    fail(
      `${file} has an input we cannot feed: ${describe(extra)} (expected input_ids and optionally attention_mask)`,
    )
  }
  if (ids.type !== 'int64' && ids.type !== 'int32')
    fail(`${file} input ${describe(ids)} must be int64 or int32 token ids`)
  if (ids.shape.length !== 2) {
    fail(`${file} input ${describe(ids)} must have rank 2 [batch, ${config.contextLength}]`)
  } else {
    const length = numericDim(ids.shape[1])
    if (length !== null && length !== config.contextLength) {
      fail(
        `${file} input ${describe(ids)} takes ${length} tokens but the config says context length ${config.contextLength} (${config.sources.contextLength ?? 'default'})`,
      )
    }
  }
  if (mask && mask.type !== ids.type)
    fail(`${file} input ${describe(mask)} must have the type of ${ids.name} (${ids.type})`)
  const embedding = checkEmbeddingOutput(file, outputs, TEXTUAL_OUTPUT_NAMES, 'text', config, fail)
  if (!embedding || !ok) return null
  const { output, dim } = embedding
  return {
    io: {
      file,
      input: ids.name,
      inputType: ids.type as 'int64' | 'int32',
      attentionMask: mask?.name ?? null,
      output: output.name,
      batch: numericDim(ids.shape[0]),
    },
    dim,
  }
}

// --- identity ---------------------------------------------------------------------------------------

/** Large exports keep weights beside the graph (`model.onnx_data`, `model.onnx.data`): part of the model. */
function externalDataOf(dir: string, file: string): string[] {
  const folder = path.join(dir, path.dirname(file))
  const base = path.basename(file)
  return readdirSync(folder)
    .filter((f) => f !== base && (f.startsWith(`${base}_data`) || f.startsWith(`${base}.data`)))
    .map((f) => rel(path.join(path.dirname(file), f)))
}

function statFile(dir: string, role: string, file: string): ModelFile {
  const st = statSync(path.join(dir, file))
  return { role, path: rel(file), bytes: st.size, mtimeMs: Math.round(st.mtimeMs) }
}

/**
 * SHA-256 over every file's relative path and bytes (streamed: ViT-B/32 is ~600 MB), in a fixed
 * order, so the same model in another folder gets the same id and any changed byte a new one.
 */
export async function hashModelFiles(dir: string, files: readonly ModelFile[]): Promise<string> {
  const hash = createHash('sha256')
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    hash.update(`${file.path}\0${file.bytes}\0`)
    for await (const chunk of createReadStream(path.join(dir, file.path), {
      highWaterMark: 1 << 20,
    })) {
      hash.update(chunk as Buffer)
    }
  }
  return hash.digest('hex')
}

/** `ViT-B-32__openai` → `vit-b-32-openai`. */
export function slugOf(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48) || 'clip'
  )
}

/** True when the files on disk still match what was hashed (size and mtime): no rehash needed. */
export function filesUnchanged(model: Pick<ClipModel, 'dir' | 'files'>): boolean {
  return model.files.every((f) => {
    try {
      const st = statSync(path.join(model.dir, f.path))
      return st.size === f.bytes && Math.round(st.mtimeMs) === f.mtimeMs
    } catch {
      return false
    }
  })
}

// --- the whole check -------------------------------------------------------------------------------

/**
 * Validates a model folder and computes its id. Loads both encoders once to read their
 * metadata (then releases them). Throws ModelError listing every problem found.
 */
export async function inspectModel(dirInput: string): Promise<ClipModel> {
  const dir = path.resolve(dirInput)
  if (!existsSync(dir)) throw new ModelError(dir, ['the folder does not exist'])
  if (!statSync(dir).isDirectory()) throw new ModelError(dir, ['this is a file, not a folder'])
  const problems: string[] = []
  const visualFile = firstExisting(dir, VISUAL_CANDIDATES)
  const textualFile = firstExisting(dir, TEXTUAL_CANDIDATES)
  const tokenizerFile = firstExisting(dir, TOKENIZER_CANDIDATES)
  if (!visualFile)
    problems.push(`no image encoder: expected one of ${VISUAL_CANDIDATES.join(', ')}`)
  if (!textualFile)
    problems.push(`no text encoder: expected one of ${TEXTUAL_CANDIDATES.join(', ')}`)
  if (!tokenizerFile) problems.push(`no tokenizer: expected ${TOKENIZER_CANDIDATES.join(' or ')}`)
  const config = resolveConfig(dir, problems)
  const tokenizer = tokenizerFile ? checkTokenizer(dir, tokenizerFile, problems) : null

  const visualSession = visualFile ? await openChecked(dir, visualFile, problems) : null
  const textualSession = textualFile ? await openChecked(dir, textualFile, problems) : null
  try {
    const visual =
      visualFile && visualSession ? checkVisual(visualFile, visualSession, config, problems) : null
    const textual =
      textualFile && textualSession
        ? checkTextual(textualFile, textualSession, config, problems)
        : null
    if (
      visual &&
      textual &&
      visual.dim !== null &&
      textual.dim !== null &&
      visual.dim !== textual.dim
    ) {
      problems.push(
        `the encoders disagree: ${visualFile} gives ${visual.dim}-d vectors, ${textualFile} gives ${textual.dim}-d (images and texts must share one space)`,
      )
    }
    const dim = config.embedDim ?? visual?.dim ?? textual?.dim ?? null
    const imageSize = config.imageSize ?? visual?.size ?? null
    if (visual && textual && dim === null)
      problems.push('embedding size unknown: set "embedDim" in clip-config.json')
    if (visual && imageSize === null)
      problems.push('image size unknown: set "imageSize" in clip-config.json')
    if (
      problems.length > 0 ||
      !visual ||
      !textual ||
      !tokenizer ||
      dim === null ||
      imageSize === null
    ) {
      throw new ModelError(dir, problems.length > 0 ? problems : ['incomplete model'])
    }
    const files: ModelFile[] = [
      statFile(dir, 'visual', visual.io.file),
      ...externalDataOf(dir, visual.io.file).map((f) => statFile(dir, 'external-data', f)),
      statFile(dir, 'textual', textual.io.file),
      ...externalDataOf(dir, textual.io.file).map((f) => statFile(dir, 'external-data', f)),
      statFile(dir, 'tokenizer', tokenizerFile as string),
      ...(tokenizer.configFile ? [statFile(dir, 'tokenizer-config', tokenizer.configFile)] : []),
      ...config.files.map((f) => statFile(dir, 'config', f)),
    ]
    const hash = await hashModelFiles(dir, files)
    return {
      modelId: `${slugOf(config.name)}-${hash.slice(0, 16)}`,
      name: config.name,
      dir,
      layout: layoutOf(visual.io.file),
      dim,
      image: { size: imageSize, mean: config.mean, std: config.std },
      contextLength: config.contextLength,
      logitScale: config.logitScale,
      tokenizer: {
        file: tokenizerFile as string,
        configFile: tokenizer.configFile,
        padToken: tokenizer.padToken,
      },
      visual: visual.io,
      textual: textual.io,
      files,
      configSources: config.sources,
      hash,
    }
  } finally {
    await visualSession?.release()
    await textualSession?.release()
  }
}
