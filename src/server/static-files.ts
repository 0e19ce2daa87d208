import { createReadStream, statSync } from 'node:fs'
import type { ServerResponse } from 'node:http'
import path from 'node:path'
import { contentTypeOrBytes } from '../core/media/content-types'

/**
 * Resolves a URL path inside `root`, or null when it would escape it (`..`, encoded slashes,
 * NUL) or names no regular file.
 */
export function resolveStatic(root: string, urlPath: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return null
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '')
  const full = path.resolve(root, relative)
  if (full !== root && !full.startsWith(root + path.sep)) return null
  try {
    return statSync(full).isFile() ? full : null
  } catch {
    return null
  }
}

/**
 * Streams a file (typed by its extension unless the caller knows better); errors after the
 * headers went out end the response instead of crashing.
 */
export function sendFile(
  res: ServerResponse,
  file: string,
  headers: Record<string, string>,
  method: string,
  contentType = contentTypeOrBytes(file),
): void {
  let size: number
  try {
    size = statSync(file).size
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found')
    return
  }
  res.writeHead(200, {
    'content-type': contentType,
    'content-length': String(size),
    ...headers,
  })
  if (method === 'HEAD') {
    res.end()
    return
  }
  const stream = createReadStream(file)
  stream.on('error', () => res.destroy())
  stream.pipe(res)
}
