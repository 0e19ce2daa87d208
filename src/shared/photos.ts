/** Where a photo's capture date came from, best first (see core/analysis/dates.ts). */
export type DateSource =
  | 'exif-original'
  | 'exif-create'
  | 'exif-other'
  | 'xmp'
  | 'filename'
  | 'folder'
  | 'file-mtime'

/** Container formats recognised by content sniffing. */
export type MediaFormat =
  | 'jpeg'
  | 'png'
  | 'webp'
  | 'tiff'
  | 'avif'
  | 'gif'
  | 'heic'
  | 'raw'
  | 'mp4'
  | 'mov'

export type MediaKind = 'image' | 'video'

/** What a grid cell needs. Kept small: 100k of these must never be loaded at once. */
export interface PhotoSummary {
  readonly id: number
  readonly path: string
  readonly name: string
  readonly folder: string
  readonly format: MediaFormat | null
  readonly width: number | null
  readonly height: number | null
  readonly size: number
  readonly takenAt: string | null
  readonly missing: boolean
}

/**
 * What importing a file records about it: the photos columns read from the file itself
 * (camelCase). The import task produces it, the import repository writes it.
 */
export interface ImportedPhotoFields {
  readonly path: string
  readonly name: string
  readonly folder: string
  readonly size: number
  readonly mtimeMs: number
  /** XXH128 of the whole file, 32 hex digits. */
  readonly checksum: string
  readonly format: MediaFormat
  readonly mediaKind: MediaKind
  readonly rawFormat: string | null
  readonly width: number | null
  readonly height: number | null
  readonly orientation: number | null
  readonly takenAt: string | null
  readonly dateSource: DateSource | null
  readonly dateConfidence: number | null
  readonly dateSuspicious: string | null
  readonly tzOffset: string | null
  readonly make: string | null
  readonly model: string | null
  readonly lens: string | null
  readonly iso: number | null
  readonly exposureTime: number | null
  readonly fNumber: number | null
  readonly focalLength: number | null
  readonly gpsLat: number | null
  readonly gpsLon: number | null
  readonly gpsAlt: number | null
  readonly gpsSuspicious: string | null
  readonly geohash: string | null
}

/**
 * Every catalog field of one photo (info panel, `vam show`, export): the imported fields (format,
 * checksum and media kind may be unknown for a row), plus when it was imported and went missing.
 */
export interface PhotoRecord
  extends PhotoSummary, Omit<ImportedPhotoFields, 'checksum' | 'format' | 'mediaKind'> {
  readonly checksum: string | null
  readonly mediaKind: MediaKind | null
  readonly importedAt: string
  readonly missingSince: string | null
}

export type PhotoSort = 'date' | 'name' | 'size' | 'quality' | 'imported'
