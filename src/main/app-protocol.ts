import { readFile, realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import type { CustomScheme, Protocol } from 'electron'
import { contentTypeFor } from '../core/media/content-types'

/*
 * The packaged renderer is served from vam-app://renderer/ rather than file:// (Electron security
 * checklist 18): file:// pages get extra privileges and share one origin with every local file;
 * our scheme serves only the built renderer folder, with the CSP as a real response header.
 */

export const APP_SCHEME = 'vam-app'
export const APP_ORIGIN = `${APP_SCHEME}://renderer`
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`

export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  // standard + secure: a real origin for ES modules, storage and fetch. No bypassCSP.
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
}

/**
 * The path (relative to the renderer folder) a vam-app URL asks for, or null. Only our host;
 * no encoded separators, NUL or `..` after decoding; extension-less paths are client-side routes
 * and get index.html.
 */
export function appAssetPath(raw: string): string | null {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return null
  }
  if (`${url.protocol}//${url.host}` !== APP_ORIGIN || url.username || url.password) return null
  if (/%2f|%5c|%00/i.test(url.pathname)) return null
  let pathname: string
  try {
    pathname = decodeURIComponent(url.pathname)
  } catch {
    return null
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null
  const segments = pathname.split('/').filter((s) => s !== '')
  if (segments.some((s) => s === '..' || s === '.')) return null
  const last = segments.at(-1)
  if (last === undefined || !last.includes('.')) return 'index.html'
  return segments.join('/')
}

/** Serves a file of the built renderer folder; HTML documents carry the CSP header. */
export async function handleAppRequest(
  rawUrl: string,
  rendererDir: string,
  csp: () => string,
): Promise<Response> {
  const relative = appAssetPath(rawUrl)
  if (!relative) return new Response('bad URL', { status: 400 })
  // Unknown extensions are not served.
  const type = contentTypeFor(relative)
  if (!type) return new Response('not found', { status: 404 })
  const root = await realpath(rendererDir).catch(() => null)
  const file = await realpath(path.join(rendererDir, relative)).catch(() => null)
  // Containment after resolving symlinks: nothing outside the renderer folder, ever.
  if (!root || !file || !file.startsWith(root + path.sep)) {
    return new Response('not found', { status: 404 })
  }
  const info = await stat(file).catch(() => null)
  if (!info?.isFile()) return new Response('not found', { status: 404 })
  const headers: Record<string, string> = {
    'Content-Type': type,
    'X-Content-Type-Options': 'nosniff',
  }
  if (type.startsWith('text/html')) headers['Content-Security-Policy'] = csp()
  return new Response(new Uint8Array(await readFile(file)), { status: 200, headers })
}

/** Installs the vam-app handler (after `app.ready`). */
export function handleAppProtocol(
  protocol: Pick<Protocol, 'handle'>,
  rendererDir: string,
  csp: () => string,
): void {
  protocol.handle(APP_SCHEME, (request) =>
    request.method === 'GET'
      ? handleAppRequest(request.url, rendererDir, csp)
      : new Response('method not allowed', { status: 405 }),
  )
}
