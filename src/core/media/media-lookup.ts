import { open, realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import type { Catalog } from '../catalog/open-catalog'
import { PhotoRepository } from '../catalog/repositories/photo.repository'
import { contentTypeOrBytes } from './content-types'

/*
 * Which file answers a media request (a catalog photo by id: its thumbnail, or its "original"),
 * shared by both hosts: the desktop app's vam-media:// protocol and the web host's /media/ route.
 * Plain Node; each host keeps only its URL format and its transport.
 */

/** Thumbnail sizes the analyze stage writes; nothing else is served. */
export const THUMB_SIZES = [256, 1024] as const
export type ThumbSize = (typeof THUMB_SIZES)[number]

export type MediaRequest =
  | { readonly kind: 'thumb'; readonly id: number; readonly size: ThumbSize }
  | { readonly kind: 'original'; readonly id: number }

/**
 * The request a host's URL names, from the parts its own parser matched: the kind, the id's
 * decimal digits and the `size` parameter (absent = 256). Null when the id is not a safe integer
 * or the size is not one the analyze stage writes.
 */
export function mediaRequestOf(
  kind: 'thumb' | 'original',
  idDigits: string,
  size: string | null | undefined,
): MediaRequest | null {
  const id = Number(idDigits)
  if (!Number.isSafeInteger(id)) return null
  if (kind === 'original') return { kind: 'original', id }
  const sizeText = size ?? '256'
  const thumbSize = THUMB_SIZES.find((s) => String(s) === sizeText)
  return thumbSize === undefined ? null : { kind: 'thumb', id, size: thumbSize }
}

/** What a media lookup needs from the catalog (injected: tested on a real catalog file). */
export interface MediaSource {
  /** Folders a thumbnail file may be inside (the catalog's cache dir, a configured one). */
  cacheDirs(): readonly string[]
  /** The cached thumbnail of a photo at a size, or null (not analysed yet). */
  thumbnailFile(id: number, size: ThumbSize): string | null
  /** The photo's catalog row, or null for an unknown id. */
  photo(id: number): {
    readonly path: string
    readonly format: string | null
    readonly mediaKind: string | null
    readonly missing: boolean
  } | null
}

/** Image types a browser decodes, by their magic bytes. */
export type SniffedImage = 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp' | 'image/avif'

/** The image type of a file's first bytes, or null when it is not a browser-decodable image. */
export function sniffImage(head: Uint8Array): SniffedImage | null {
  const ascii = (from: number, to: number) => String.fromCharCode(...head.subarray(from, to))
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg'
  if (ascii(0, 8) === '\x89PNG\r\n\x1a\n') return 'image/png'
  if (ascii(0, 4) === 'GIF8') return 'image/gif'
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp'
  if (ascii(4, 8) === 'ftyp' && ['avif', 'avis'].includes(ascii(8, 12))) return 'image/avif'
  return null
}

/** Formats a browser shows as they are; RAW, HEIC, TIFF and video get the 1024 px preview. */
const BROWSER_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'avif'])

export type MediaResolution =
  | {
      readonly ok: true
      readonly file: string
      readonly contentType: string
      readonly size: number
    }
  | { readonly ok: false; readonly status: 404 | 415; readonly reason: string }

/**
 * How a host vets a candidate file (a thumbnail or an original, null when there is none) before
 * it serves it, and what type it serves it as.
 */
export type MediaFileCheck = (
  file: string | null,
  role: 'thumbnail' | 'original',
  source: MediaSource,
) => Promise<MediaResolution>

async function readHead(file: string): Promise<Uint8Array | null> {
  try {
    const handle = await open(file, 'r')
    try {
      const buffer = new Uint8Array(16)
      const { bytesRead } = await handle.read(buffer, 0, 16, 0)
      return buffer.subarray(0, bytesRead)
    } finally {
      await handle.close()
    }
  } catch {
    return null
  }
}

/** A regular file that sniffs as an image, or why not. */
async function checkImageFile(file: string): Promise<MediaResolution> {
  const info = await stat(file).catch(() => null)
  if (!info?.isFile()) return { ok: false, status: 404, reason: 'file not found' }
  const head = await readHead(file)
  const contentType = head ? sniffImage(head) : null
  if (!contentType) return { ok: false, status: 415, reason: 'not an image' }
  return { ok: true, file, contentType, size: info.size }
}

/** A thumbnail file, only if it really lives inside the cache dir (symlinks resolved). */
async function checkThumbnail(source: MediaSource, file: string | null): Promise<MediaResolution> {
  if (!file) return { ok: false, status: 404, reason: 'no thumbnail yet' }
  const real = await realpath(file).catch(() => null)
  if (!real) return { ok: false, status: 404, reason: 'thumbnail file missing' }
  const roots = await Promise.all(source.cacheDirs().map((dir) => realpath(dir).catch(() => null)))
  if (!roots.some((root) => root !== null && real.startsWith(root + path.sep))) {
    return { ok: false, status: 404, reason: 'thumbnail outside the cache' }
  }
  return checkImageFile(real)
}

/**
 * The desktop app's check: thumbnails only from inside the cache dirs (symlinks resolved), and
 * only bytes that sniff as a browser image, served as the type they sniff as — never a
 * non-image byte, whatever the catalog says.
 */
export const verifiedImage: MediaFileCheck = async (file, role, source) => {
  if (role === 'thumbnail') return checkThumbnail(source, file)
  if (!file) return { ok: false, status: 404, reason: 'file not found' }
  return checkImageFile(file)
}

/**
 * The web host's check: the file exists; its type comes from its extension. The web host trusts
 * its thumbnail resolver (tests and benches point it at files outside any cache dir).
 */
export const existingFile: MediaFileCheck = async (file) => {
  const info = file === null ? null : await stat(file).catch(() => null)
  if (file === null || !info) return { ok: false, status: 404, reason: 'file not found' }
  return { ok: true, file, contentType: contentTypeOrBytes(file), size: info.size }
}

/**
 * The file to serve for a request. Thumbnails come from the thumbnail lookup only. Originals are
 * served for known photos whose format a browser shows and whose file passes the check;
 * otherwise the 1024 px preview stands in, and without one the answer is a 404/415 refusal.
 */
export async function resolveMedia(
  request: MediaRequest,
  source: MediaSource,
  check: MediaFileCheck = verifiedImage,
): Promise<MediaResolution> {
  if (request.kind === 'thumb') {
    return check(source.thumbnailFile(request.id, request.size), 'thumbnail', source)
  }
  const photo = source.photo(request.id)
  if (!photo) return { ok: false, status: 404, reason: 'unknown photo' }
  const showable =
    photo.mediaKind !== 'video' && photo.format !== null && BROWSER_FORMATS.has(photo.format)
  let refusal: MediaResolution = { ok: false, status: 415, reason: 'not an image' }
  if (showable && !photo.missing) {
    const original = await check(photo.path, 'original', source)
    if (original.ok) return original
    refusal = original
  } else if (showable) {
    refusal = { ok: false, status: 404, reason: 'original missing' }
  }
  const preview = await check(source.thumbnailFile(request.id, 1024), 'thumbnail', source)
  return preview.ok ? preview : refusal
}

/** Finds a photo's cached thumbnail file (analyze's `thumbnailFileFor`, bound to the catalog). */
export type ThumbnailLookup = (id: number, size: ThumbSize) => string | null

/** The MediaSource of an open catalog. */
export function catalogMediaSource(
  catalog: Pick<Catalog, 'db' | 'paths'>,
  thumbnailFile: ThumbnailLookup,
  extraCacheDirs: () => readonly string[] = () => [],
): MediaSource {
  const photos = new PhotoRepository(catalog.db)
  return {
    cacheDirs: () => [catalog.paths.cacheDir, ...extraCacheDirs()],
    thumbnailFile,
    photo(id) {
      const row = photos.get(id)
      if (!row) return null
      return {
        path: row.path,
        format: row.format,
        mediaKind: row.media_kind,
        missing: row.missing_since !== null,
      }
    },
  }
}
