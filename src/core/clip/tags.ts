import type { PhotoTagDto, Taxonomy } from '../../shared/contract/search'
import { scoreRows, type VectorMatrix } from './vector-search'

/**
 * Zero-shot tags: each tag becomes a prompt ("a photo of a dog"), encoded once by the text
 * encoder; an image's tags are the prompts it matches best *within each category*, as CLIP's
 * paper classifies: softmax over `logitScale × cosine` per category. Pure: vectors in, tags out.
 */

/** The default taxonomy: what people search a family library for. Editable (`vam tags`). */
export const DEFAULT_TAXONOMY: Taxonomy = {
  template: 'a photo of {tag}',
  minConfidence: 0.4,
  categories: [
    {
      name: 'subjects',
      template: 'a photo of a {tag}',
      tags: [
        'person',
        'group of people',
        'baby',
        'dog',
        'cat',
        'bird',
        'horse',
        'insect',
        'flower',
        'tree',
        'meal',
        'car',
        'bicycle',
        'boat',
        'airplane',
        'train',
        'building',
        'bridge',
        'document',
        'screenshot',
      ],
    },
    {
      name: 'scenes',
      template: 'a photo of the {tag}',
      tags: [
        'beach',
        'sea',
        'lake',
        'mountains',
        'forest',
        'desert',
        'snow',
        'countryside',
        'city',
        'park',
        'garden',
        'home interior',
        'restaurant',
        'concert',
        'sports field',
        'sky',
      ],
    },
    {
      name: 'light',
      template: 'a photo in {tag}',
      tags: [
        'daylight',
        'golden hour',
        'sunset light',
        'night',
        'overcast light',
        'indoor light',
        'fog',
      ],
    },
  ],
}

/** Keep at most this many tags per category per photo (a photo has few subjects that matter). */
const MAX_PER_CATEGORY = 3

export interface TagPrompt {
  readonly category: string
  readonly tag: string
  readonly prompt: string
}

/** Every tag's prompt, in taxonomy order (rows of the prompt matrix). */
export function promptsOf(taxonomy: Taxonomy): TagPrompt[] {
  return taxonomy.categories.flatMap((category) =>
    [...new Set(category.tags)].map((tag) => ({
      category: category.name,
      tag,
      prompt: (category.template ?? taxonomy.template).replaceAll('{tag}', tag),
    })),
  )
}

/** Stable text key of a taxonomy (cache key of its prompt vectors). */
export function taxonomyKey(taxonomy: Taxonomy): string {
  return JSON.stringify(promptsOf(taxonomy).map((p) => p.prompt))
}

/**
 * Tags of one image from its similarities to every prompt (`sims[i]` ↔ `prompts[i]`):
 * softmax per category, keep ≥ minConfidence, best first, at most MAX_PER_CATEGORY each.
 */
export function tagsFromSimilarities(
  sims: ArrayLike<number>,
  prompts: readonly TagPrompt[],
  minConfidence: number,
  logitScale: number,
): PhotoTagDto[] {
  const out: PhotoTagDto[] = []
  let start = 0
  while (start < prompts.length) {
    const category = (prompts[start] as TagPrompt).category
    let end = start
    while (end < prompts.length && (prompts[end] as TagPrompt).category === category) end++
    // Softmax with the max subtracted: logits of 100 × cos overflow exp() otherwise.
    let max = -Infinity
    for (let i = start; i < end; i++) max = Math.max(max, logitScale * (sims[i] as number))
    let sum = 0
    const exps: number[] = []
    for (let i = start; i < end; i++) {
      const e = Math.exp(logitScale * (sims[i] as number) - max)
      exps.push(e)
      sum += e
    }
    const kept: PhotoTagDto[] = []
    exps.forEach((e, k) => {
      const confidence = e / sum
      if (confidence >= minConfidence) {
        kept.push({ tag: (prompts[start + k] as TagPrompt).tag, category, confidence })
      }
    })
    kept.sort((a, b) => b.confidence - a.confidence)
    out.push(...kept.slice(0, MAX_PER_CATEGORY))
    start = end
  }
  return out
}

/**
 * Tags of every image of `images` against the prompt vectors (`promptMatrix` rows ↔ `prompts`).
 * Blocked the other way round from search: one pass over the images per prompt, so the scores of
 * a prompt for all images come from the same fast kernel.
 */
export function tagImages(
  images: VectorMatrix,
  promptMatrix: VectorMatrix,
  prompts: readonly TagPrompt[],
  minConfidence: number,
  logitScale: number,
): { id: number; tags: PhotoTagDto[] }[] {
  if (promptMatrix.count !== prompts.length)
    throw new Error('one prompt vector per prompt expected')
  const sims = prompts.map(() => new Float32Array(images.count))
  prompts.forEach((_, p) => {
    scoreRows(
      images,
      promptMatrix.data.subarray(p * promptMatrix.dim, (p + 1) * promptMatrix.dim),
      sims[p] as Float32Array,
    )
  })
  const column = new Float32Array(prompts.length)
  const out: { id: number; tags: PhotoTagDto[] }[] = []
  for (let r = 0; r < images.count; r++) {
    for (let p = 0; p < prompts.length; p++) column[p] = (sims[p] as Float32Array)[r] as number
    out.push({
      id: images.ids[r] as number,
      tags: tagsFromSimilarities(column, prompts, minConfidence, logitScale),
    })
  }
  return out
}
