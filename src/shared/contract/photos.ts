import { z } from 'zod'
import { method } from './define'
import type { ItemErrorDto } from '../jobs'
import type { PhotoRecord, PhotoSummary } from '../photos'

const Id = z.number().int().positive()

/**
 * Grid filters; every field optional and they combine with AND. Features add fields here
 * (duplicates, bursts, quality band, tags) together with their SQL in photo.repository.ts.
 */
export const PhotoFilterSchema = z.object({
  folder: z.string().max(4096).optional(),
  /** Include sub-folders of `folder` (default true). */
  recursive: z.boolean().optional(),
  dateFrom: z.string().max(40).optional(),
  dateTo: z.string().max(40).optional(),
  camera: z.string().max(200).optional(),
  hasGps: z.boolean().optional(),
  hasErrors: z.boolean().optional(),
  missing: z.boolean().optional(),
  /** Photos whose geohash starts with this prefix (map cluster click). */
  geohashPrefix: z.string().regex(/^[0-9b-hjkmnp-z]{1,12}$/).optional(),
  /** Bounding box [south, west, north, east] (map box selection). */
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).optional(),
  /** Quality band: pixel quality score (0–100) from analyze, inclusive bounds. */
  qualityMin: z.number().min(0).max(100).optional(),
  qualityMax: z.number().min(0).max(100).optional(),
  /** Filename / camera substring search. */
  text: z.string().max(200).optional(),
  /** Photos in an open duplicate group (true) or in none (false). */
  duplicates: z.boolean().optional(),
  /** Photos that are frames of an open burst (true) or of none (false). */
  bursts: z.boolean().optional(),
  /** Photos with this zero-shot tag from the active CLIP model (see contract/search.ts). */
  tag: z.string().min(1).max(80).optional(),
})
export type PhotoFilter = z.infer<typeof PhotoFilterSchema>

export const PhotoSortSchema = z.enum(['date', 'name', 'size', 'quality', 'imported'])

export const PhotoQuerySchema = z.object({
  filter: PhotoFilterSchema.optional(),
  sort: PhotoSortSchema.optional(),
  descending: z.boolean().optional(),
  offset: z.number().int().min(0),
  limit: z.number().int().min(1).max(1000),
})
export type PhotoQuery = z.infer<typeof PhotoQuerySchema>

/** One page of the grid plus the total for the scrollbar. */
export interface PhotoPage {
  readonly total: number
  readonly offset: number
  readonly items: readonly PhotoSummary[]
}

/** A folder with its photo count (direct children only; the tree is built by the renderer). */
export interface FolderCount {
  readonly folder: string
  readonly count: number
}

/** Everything the info panel shows. Features extend `extra` with their own sections. */
export interface PhotoDetail {
  readonly photo: PhotoRecord
  readonly errors: readonly ItemErrorDto[]
  /** Sections contributed by features (hashes, quality, tags, …), keyed by feature. */
  readonly extra: Readonly<Record<string, unknown>>
}

/** Browse the library. */
export const photosContract = {
  page: method<PhotoPage>()(PhotoQuerySchema),
  get: method<PhotoDetail | null>()(z.object({ id: Id })),
  folders: method<readonly FolderCount[]>()(z.object({})),
  cameras: method<readonly { readonly camera: string; readonly count: number }[]>()(
    z.object({}),
  ),
}
