import { z } from 'zod'
import { method } from './define'
import { PhotoFilterSchema } from './photos'
import type { PhotoSummary } from '../photos'

const Id = z.number().int().positive()
const Limit = z.number().int().min(1).max(1000)

/**
 * The zero-shot tag taxonomy: categories of tags, each scored with a prompt made from the
 * category's template (or the taxonomy's) by replacing `{tag}` — "a photo of {tag}".
 */
export const TaxonomySchema = z.object({
  /** Prompt template; `{tag}` is replaced by the tag. */
  template: z
    .string()
    .min(1)
    .max(200)
    .regex(/\{tag\}/, 'the template must contain {tag}'),
  /** Tags whose probability within their category is below this are not stored. */
  minConfidence: z.number().min(0).max(1),
  categories: z
    .array(
      z.object({
        name: z.string().min(1).max(40),
        /** Overrides the taxonomy's template for this category. */
        template: z
          .string()
          .min(1)
          .max(200)
          .regex(/\{tag\}/)
          .optional(),
        tags: z.array(z.string().min(1).max(80)).min(1).max(200),
      }),
    )
    .max(20),
})
export type Taxonomy = z.infer<typeof TaxonomySchema>

/** A file of a CLIP model folder. */
export interface ClipModelFileDto {
  readonly role: string
  readonly path: string
  readonly bytes: number
}

/** The active CLIP model and how much of the library it has embedded. */
export interface ClipModelInfo {
  /** Name + content hash: vectors carry it, so two models never mix. */
  readonly modelId: string
  readonly name: string
  readonly dir: string
  /** 'openclip' (visual/ + textual/), 'hf' (vision_model.onnx + text_model.onnx) or 'flat'. */
  readonly layout: string
  readonly dim: number
  readonly imageSize: number
  readonly contextLength: number
  readonly mean: readonly number[]
  readonly std: readonly number[]
  readonly files: readonly ClipModelFileDto[]
  readonly addedAt: string
  /** Photos with a vector of this model. */
  readonly embedded: number
  /** Photos in the catalog (not missing). */
  readonly photos: number
  /** Vectors of earlier models, kept but never searched together with this one. */
  readonly stale: number
}

/** One search result. */
export interface SearchHit {
  readonly photo: PhotoSummary
  /** Cosine similarity in [-1, 1]. */
  readonly score: number
}

export interface SearchResult {
  readonly modelId: string
  readonly hits: readonly SearchHit[]
  /** Vectors compared (after the filter). */
  readonly candidates: number
  /** Time of the vector search alone, ms. */
  readonly searchMs: number
  /** Time to encode the query text (0 for "more like this"), ms. */
  readonly encodeMs: number
}

/** A zero-shot tag of a photo. */
export interface PhotoTagDto {
  readonly tag: string
  readonly category: string
  /** Probability within its category, 0–1. */
  readonly confidence: number
}

export interface TagsInfo {
  readonly taxonomy: Taxonomy
  readonly modelId: string | null
  /** Photos per tag for the active model. */
  readonly counts: readonly {
    readonly tag: string
    readonly category: string
    readonly count: number
  }[]
}

const SearchOptions = {
  limit: Limit.optional(),
  /** The grid's filters: only photos the grid would show are ranked. */
  filter: PhotoFilterSchema.optional(),
}

/** Semantic search with CLIP: text queries, "more like this", zero-shot tags, the model. */
export const searchContract = {
  text: method<SearchResult>()(z.object({ query: z.string().min(1).max(1000), ...SearchOptions })),
  /** Photos most like `photoId` (itself excluded). */
  similar: method<SearchResult>()(z.object({ photoId: Id, ...SearchOptions })),
  /** The active model, or null when none is set. */
  model: method<ClipModelInfo | null>()(z.object({})),
  /** Validates the folder and makes it the active model; earlier vectors become stale. */
  setModel: method<ClipModelInfo>()(z.object({ dir: z.string().min(1).max(4096) })),
  tags: method<TagsInfo>()(z.object({})),
  /** Replaces the taxonomy and re-scores the stored vectors of the active model. */
  setTags: method<TagsInfo>()(z.object({ taxonomy: TaxonomySchema })),
}
