import { createReadStream } from 'node:fs'
import { open, realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import { Readable } from 'node:stream'
import type { CustomScheme, Protocol } from 'electron'
import type { Catalog } from '../core/catalog/open-catalog'
import { PhotoRepository } from '../core/catalog/repositories/photo.repository'

/*
 * vam-media://thumb/<id>?size=256|1024 and vam-media://original/<id>: the renderer's only way to
 * see image bytes. Requests name a catalog photo by numeric id, never a path; what is served is
 * looked up in the catalog and sniffed to be an image before a byte leaves the main process.
 */

export const MEDIA_SCHEME = 'vam-media'

/** Registered before `app.ready` (with the other privileged schemes, in one call). */
export const MEDIA_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: MEDIA_SCHEME,
  // standard: parsed like http (host + path); secure: not mixed content; stream: large originals
  // are streamed rather than buffered. No bypassCSP, no service workers, no CORS.
  privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
}

/** Thumbnail sizes the analyze stage writes; nothing else is served. */
export const THUMB_SIZES = [256, 1024] as const
export type ThumbSize = (typeof THUMB_SIZES)[number]

export type MediaRequest =
  | { readonly kind: 'thumb'; readonly id: number; readonly size: ThumbSize }
  | { readonly kind: 'original'; readonly id: number }

const MEDIA_URL_RE = /^vam-media:\/\/(thumb|original)\/([1-9][0-9]{0,15})(?:\?([a-z0-9=&]{0,64}))?$/

/**
 * Parses a vam-media URL, exactly: `thumb/<id>` with an optional `size` (256 or 1024, default 256)
 * or `original/<id>`, plus an optional cache-busting `v` token. Anything else is null: paths, `..`
 * in any encoding, absolute paths, ids that are zero, negative, non-decimal or beyond 2^53,
 * unknown hosts or parameters, user info, ports, fragments. Matching the raw string (rather than a
 * parsed URL) means no decoding or normalisation ever happens before validation.
 */
export function parseMediaRequest(url: string): MediaRequest | null {
  if (typeof url !== 'string' || url.length > 200) return null
  const match = MEDIA_URL_RE.exec(url)
  if (!match?.[1] || !match[2]) return null
  const id = Number(match[2])
  if (!Number.isSafeInteger(id)) return null
  const params = parseQuery(match[3] ?? '')
  if (!params) return null
  if (match[1] === 'original') {
    if (params.has('size')) return null
    return { kind: 'original', id }
  }
  const sizeText = params.get('size') ?? '256'
  const size = THUMB_SIZES.find((s) => String(s) === sizeText)
  return size === undefined ? null : { kind: 'thumb', id, size }
}

/** `size=…&v=…`, each at most once, nothing else; null when anything is off. */
function parseQuery(query: string): Map<string, string> | null {
  const params = new Map<string, string>()
  if (query === '') return params
  for (const pair of query.split('&')) {
    const m = /^(size|v)=([a-z0-9]{1,32})$/.exec(pair)
    if (!m?.[1] || m[2] === undefined || params.has(m[1])) return null
    params.set(m[1], m[2])
  }
  return params
}

/** What the media handler needs from the catalog (injected: tested on a real catalog file). */
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
      readonly contentType: SniffedImage
      readonly size: number
    }
  | { readonly ok: false; readonly status: 404 | 415; readonly reason: string }

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
 * The file to serve for a request. Thumbnails come from the cache dir only. Originals are served
 * for known photos whose format a browser shows and whose bytes really are an image; otherwise
 * the 1024 px preview stands in, and without one the answer is 404/415 — never a non-image byte.
 */
export async function resolveMedia(
  request: MediaRequest,
  source: MediaSource,
): Promise<MediaResolution> {
  if (request.kind === 'thumb') {
    return checkThumbnail(source, source.thumbnailFile(request.id, request.size))
  }
  const photo = source.photo(request.id)
  if (!photo) return { ok: false, status: 404, reason: 'unknown photo' }
  const showable =
    photo.mediaKind !== 'video' && photo.format !== null && BROWSER_FORMATS.has(photo.format)
  let refusal: MediaResolution = { ok: false, status: 415, reason: 'not an image' }
  if (showable && !photo.missing) {
    const original = await checkImageFile(photo.path)
    if (original.ok) return original
    refusal = original
  } else if (showable) {
    refusal = { ok: false, status: 404, reason: 'original missing' }
  }
  const preview = await checkThumbnail(source, source.thumbnailFile(request.id, 1024))
  return preview.ok ? preview : refusal
}

/** The HTTP-like answer to a vam-media request (a WHATWG Response: Electron and Node share it). */
export async function handleMediaRequest(
  method: string,
  url: string,
  source: MediaSource | null,
): Promise<Response> {
  if (method !== 'GET' && method !== 'HEAD') return textResponse(405, 'method not allowed')
  const request = parseMediaRequest(url)
  if (!request) return textResponse(400, 'bad media URL')
  if (!source) return textResponse(503, 'catalog not open')
  const resolved = await resolveMedia(request, source)
  if (!resolved.ok) return textResponse(resolved.status, resolved.reason)
  const headers = {
    'Content-Type': resolved.contentType,
    'Content-Length': String(resolved.size),
    'Cache-Control': 'private, max-age=300',
    'X-Content-Type-Options': 'nosniff',
  }
  if (method === 'HEAD') return new Response(null, { status: 200, headers })
  const body = Readable.toWeb(createReadStream(resolved.file)) as ReadableStream<Uint8Array>
  return new Response(body, { status: 200, headers })
}

function textResponse(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
  })
}

/** Installs the vam-media handler (after `app.ready`). */
export function handleMediaProtocol(
  protocol: Pick<Protocol, 'handle'>,
  source: () => MediaSource | null,
): void {
  protocol.handle(MEDIA_SCHEME, (request) =>
    handleMediaRequest(request.method, request.url, source()),
  )
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
