import path from 'node:path'

/**
 * Content types of the files the hosts serve by extension: the built renderer (desktop
 * vam-app:// and the web host's static files) and, on the web host, media files. One table, so
 * the two hosts never disagree on what a file is.
 */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.geojson': 'application/geo+json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
}

/** Content type by extension (case-insensitive), or null for an extension not in the table. */
export function contentTypeFor(file: string): string | null {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? null
}

/** For a host that serves whatever file it resolved: unknown extensions go out as plain bytes. */
export function contentTypeOrBytes(file: string): string {
  return contentTypeFor(file) ?? 'application/octet-stream'
}
