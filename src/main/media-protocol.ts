import { createReadStream } from 'node:fs'
import { Readable } from 'node:stream'
import type { CustomScheme, Protocol } from 'electron'
import {
  mediaRequestOf,
  resolveMedia,
  verifiedImage,
  type MediaRequest,
  type MediaSource,
} from '../core/media/media-lookup'

/*
 * vam-media://thumb/<id>?size=256|1024 and vam-media://original/<id>: the renderer's only way to
 * see image bytes. Requests name a catalog photo by numeric id, never a path; what is served is
 * looked up in the catalog and sniffed to be an image before a byte leaves the main process
 * (src/core/media/media-lookup.ts, shared with the web host); this file is the Electron transport.
 */

export const MEDIA_SCHEME = 'vam-media'

/** Registered before `app.ready` (with the other privileged schemes, in one call). */
export const MEDIA_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: MEDIA_SCHEME,
  // standard: parsed like http (host + path); secure: not mixed content; stream: large originals
  // are streamed rather than buffered. No bypassCSP, no service workers, no CORS.
  privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
}

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
  const kind = match[1] === 'original' ? 'original' : 'thumb'
  const params = parseQuery(match[3] ?? '')
  if (!params || (kind === 'original' && params.has('size'))) return null
  return mediaRequestOf(kind, match[2], params.get('size'))
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
  const resolved = await resolveMedia(request, source, verifiedImage)
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
