import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Tokenizer as HfTokenizer } from '@huggingface/tokenizers'
import type { ClipModel } from './model-manager'
import { loadOrt, openSession, type OrtSession } from './onnx'
import { l2Normalise } from './vector-search'

/** Token ids of a batch, ready for the text encoder. */
export interface TokenBatch {
  /** `count × contextLength` ids, row-major. */
  readonly ids: Int32Array
  /** 1 for SOT…EOT, 0 for padding. */
  readonly mask: Int32Array
  readonly count: number
  readonly contextLength: number
}

/** Collapses whitespace and trims, as CLIP's `whitespace_clean` does before BPE. */
export function cleanText(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

/**
 * Lays BPE tokens out the way CLIP does: `<|startoftext|>`, the tokens, `<|endoftext|>`, then
 * padding to the context length. Text that is too long keeps its first `length − 2` tokens and
 * still ends with EOT (CLIP pools the features at the EOT position, so it must be present).
 */
export function frameTokens(
  tokens: readonly number[],
  ids: { readonly sot: number; readonly eot: number; readonly pad: number },
  contextLength: number,
): { ids: number[]; mask: number[] } {
  const body = tokens.slice(0, contextLength - 2)
  const framed = [ids.sot, ...body, ids.eot]
  const mask = framed.map(() => 1)
  while (framed.length < contextLength) {
    framed.push(ids.pad)
    mask.push(0)
  }
  return { ids: framed, mask }
}

/**
 * CLIP's byte-level BPE from a Hugging Face tokenizer.json, via @huggingface/tokenizers (pure JS,
 * no network: it is given the parsed file). Normalisation (NFC, whitespace, lower case) and the
 * pre-tokenizer regex come from the file itself, so OpenAI and OpenCLIP vocabularies both work.
 */
export class ClipTokenizer {
  private constructor(
    private readonly tokenizer: HfTokenizer,
    readonly contextLength: number,
    readonly sot: number,
    readonly eot: number,
    readonly pad: number,
  ) {}

  static async load(
    file: string,
    configFile: string | null,
    contextLength: number,
    padToken: string | null,
  ): Promise<ClipTokenizer> {
    const { Tokenizer } = await import('@huggingface/tokenizers')
    const json = JSON.parse(readFileSync(file, 'utf8')) as object
    const config = configFile ? (JSON.parse(readFileSync(configFile, 'utf8')) as object) : {}
    const tokenizer = new Tokenizer(json, config)
    const idOf = (token: string) => {
      const id = tokenizer.token_to_id(token)
      if (id === undefined) throw new Error(`${path.basename(file)} has no ${token} token`)
      return id
    }
    // Padding: the tokenizer config's pad token (Hugging Face and OpenCLIP exports use
    // <|endoftext|>), else 0 as OpenAI's clip.tokenize pads. CLIP pools at the first EOT either way.
    const pad = padToken ? idOf(padToken) : 0
    return new ClipTokenizer(
      tokenizer,
      contextLength,
      idOf('<|startoftext|>'),
      idOf('<|endoftext|>'),
      pad,
    )
  }

  /** BPE tokens of `text` without SOT/EOT. */
  tokens(text: string): number[] {
    return this.tokenizer.encode(cleanText(text), { add_special_tokens: false }).ids
  }

  /** The framed, padded ids of one text. */
  encode(text: string): { ids: number[]; mask: number[] } {
    return frameTokens(this.tokens(text), this, this.contextLength)
  }

  encodeBatch(texts: readonly string[]): TokenBatch {
    const n = this.contextLength
    const ids = new Int32Array(texts.length * n)
    const mask = new Int32Array(texts.length * n)
    texts.forEach((text, row) => {
      const framed = this.encode(text)
      ids.set(framed.ids, row * n)
      mask.set(framed.mask, row * n)
    })
    return { ids, mask, count: texts.length, contextLength: n }
  }
}

/** The text half of a CLIP model: texts → L2-normalised vectors in the image space. */
export class ClipTextEncoder {
  private constructor(
    readonly model: ClipModel,
    readonly tokenizer: ClipTokenizer,
    private readonly session: OrtSession,
  ) {}

  static async load(model: ClipModel, threads = 1): Promise<ClipTextEncoder> {
    const tokenizer = await ClipTokenizer.load(
      path.join(model.dir, model.tokenizer.file),
      model.tokenizer.configFile ? path.join(model.dir, model.tokenizer.configFile) : null,
      model.contextLength,
      model.tokenizer.padToken,
    )
    const session = await openSession(path.join(model.dir, model.textual.file), threads)
    return new ClipTextEncoder(model, tokenizer, session)
  }

  /** One vector per text, unit length. */
  async encode(texts: readonly string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = []
    // Exports with a fixed batch (often 1) take texts one at a time.
    const step = this.model.textual.batch ?? 64
    for (let i = 0; i < texts.length; i += step) {
      out.push(...(await this.encodeBatch(texts.slice(i, i + step))))
    }
    return out
  }

  private async encodeBatch(texts: readonly string[]): Promise<Float32Array[]> {
    const ort = await loadOrt()
    const batch = this.tokenizer.encodeBatch(texts)
    const { textual, dim } = this.model
    const dims = [batch.count, batch.contextLength]
    const tensor = (values: Int32Array) =>
      textual.inputType === 'int64'
        ? new ort.Tensor(
            'int64',
            BigInt64Array.from(values, (v) => BigInt(v)),
            dims,
          )
        : new ort.Tensor('int32', values, dims)
    const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {
      [textual.input]: tensor(batch.ids),
    }
    if (textual.attentionMask) feeds[textual.attentionMask] = tensor(batch.mask)
    const result = await this.session.run(feeds, [textual.output])
    const output = result[textual.output]
    if (!output || output.dims.length !== 2 || output.dims[1] !== dim) {
      throw new Error(
        `text encoder returned ${output ? `[${output.dims.join(',')}]` : 'nothing'}, expected [${batch.count},${dim}]`,
      )
    }
    const data = output.data as Float32Array
    return texts.map((_, row) => l2Normalise(data.slice(row * dim, (row + 1) * dim)))
  }

  async release(): Promise<void> {
    await this.session.release()
  }
}
