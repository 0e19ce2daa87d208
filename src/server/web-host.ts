import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import type { Engine } from '../core/engine'
import { ContractError } from '../core/invoke'
import { catalogMediaSource, existingFile, resolveMedia } from '../core/media/media-lookup'
import { createVamService, invokeMethod } from '../core/service'
import type { VamEventName } from '../shared/contract'
import { cookieNameFor, hostAllowed, newToken, originAllowed, presentedToken } from './auth'
import { parseMediaRequest, type ThumbnailResolver } from './media'
import { resolveStatic, sendFile } from './static-files'

export interface WebHostOptions {
  readonly engine: Engine
  /** 0 or absent: a random free port. */
  readonly port?: number
  /** Absent: a fresh random token for this run. */
  readonly token?: string
  /** The built renderer (dist-web/). */
  readonly staticDir: string
  /** Where thumbnails live; absent until the analyze stage provides them (404 then). */
  readonly thumbnails?: ThumbnailResolver
  readonly log?: (line: string) => void
}

export interface WebHost {
  readonly port: number
  readonly token: string
  /** The URL to open: carries the token once, the page then keeps it in a cookie. */
  readonly url: string
  close(): Promise<void>
}

/** Request bodies larger than this are refused (the contract's largest argument is far smaller). */
const MAX_BODY_BYTES = 1 << 20
/** A client this far behind on events gets no more job logs until it catches up. */
const MAX_WS_BUFFER = 4 << 20

/**
 * Engine events forwarded to browsers. Desktop-only events (native menu commands) are never
 * emitted by the engine, so they are not listed.
 */
const FORWARDED_EVENTS: readonly VamEventName[] = ['jobChanged', 'jobLog', 'catalogChanged']

/**
 * The strict CSP of the page: our own scripts and styles only, images from us (and the online
 * map tile host when one is set), events over our own WebSocket.
 */
export function contentSecurityPolicy(port: number, tileUrl: string): string {
  let tileOrigin = ''
  try {
    if (tileUrl) {
      const origin = new URL(tileUrl.replace(/\{[a-z]\}/g, 'a')).origin
      // Tile templates may use {s} subdomains: allow that host's subdomains too.
      tileOrigin = tileUrl.includes('{s}.') ? ` ${origin.replace('//a.', '//*.')}` : ` ${origin}`
    }
  } catch {
    tileOrigin = ''
  }
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' data: blob:${tileOrigin}`,
    "font-src 'self'",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ')
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value === undefined ? null : value)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  })
  res.end(body)
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLargeError())
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

class BodyTooLargeError extends Error {}

/**
 * The loopback web host: the renderer and the contract over HTTP + WebSocket, for headless use
 * and e2e tests. Bound to 127.0.0.1 only; every request needs the per-run token.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { engine } = options
  const token = options.token ?? newToken()
  const staticDir = path.resolve(options.staticDir)
  const service = createVamService(engine)
  const thumbnails: ThumbnailResolver = options.thumbnails ?? (() => null)
  const media = catalogMediaSource(engine.catalog, (id, size) => thumbnails(engine, id, size))
  const log = options.log ?? (() => undefined)
  let port = 0
  let cookieName = ''

  const refuse = (res: ServerResponse, status: 401 | 403, why: string) => {
    res.writeHead(status, {
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': 'no-store',
    })
    res.end(`${why}\nOpen the URL printed by \`vam serve\` (it carries this run's token).\n`)
  }

  const handleApi = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const match = /^\/api\/([A-Za-z][A-Za-z0-9]*)\/([A-Za-z][A-Za-z0-9]*)$/.exec(url.pathname)
    if (!match)
      return sendJson(res, 404, { error: { code: 'unknown_method', message: url.pathname } })
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST')
      return sendJson(res, 405, { error: { code: 'method_not_allowed', message: 'use POST' } })
    }
    // JSON only: a cross-site form cannot send it without a CORS preflight, which we never grant.
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return sendJson(res, 415, { error: { code: 'unsupported_media_type', message: 'send JSON' } })
    }
    let input: unknown
    try {
      const text = await readBody(req)
      input = text.trim() === '' ? {} : JSON.parse(text)
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        return sendJson(res, 413, {
          error: { code: 'too_large', message: 'request body too large' },
        })
      }
      return sendJson(res, 400, {
        error: { code: 'invalid_json', message: 'body is not valid JSON' },
      })
    }
    try {
      const result = await invokeMethod(service, match[1] as string, match[2] as string, input)
      sendJson(res, 200, result)
    } catch (error) {
      if (error instanceof ContractError) {
        const status = error.code === 'unknown_method' ? 404 : 400
        return sendJson(res, status, { error: { code: error.code, message: error.message } })
      }
      const message = error instanceof Error ? error.message : String(error)
      log(`api ${url.pathname}: ${message}`)
      sendJson(res, 500, { error: { code: 'internal', message } })
    }
  }

  const handleMedia = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const request = parseMediaRequest(url)
    if (!request) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('bad media request')
      return
    }
    // The file need only exist, typed by its extension (see existingFile); every refusal is a 404.
    const resolved = await resolveMedia(request, media, existingFile)
    if (!resolved.ok) {
      res.writeHead(404, {
        'content-type': 'text/plain; charset=utf-8',
        'cache-control': 'no-store',
      })
      res.end('no such media')
      return
    }
    // Private and short-lived: a re-analysis rewrites thumbnails under the same URL.
    sendFile(
      res,
      resolved.file,
      { 'cache-control': 'private, max-age=300', 'x-content-type-options': 'nosniff' },
      req.method ?? 'GET',
      resolved.contentType,
    )
  }

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (!hostAllowed(req, port)) return refuse(res, 403, 'forbidden host')
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`)
    const source = presentedToken(req, url, token, cookieName)
    if (source === null) return refuse(res, 401, 'missing or wrong token')
    if (url.pathname.startsWith('/api/')) return handleApi(req, res, url)
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end()
      return
    }
    if (url.pathname.startsWith('/media/')) return handleMedia(req, res, url)
    const file = resolveStatic(staticDir, url.pathname)
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found')
      return
    }
    const headers: Record<string, string> = {
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    }
    if (file.endsWith('.html')) {
      headers['content-security-policy'] = contentSecurityPolicy(
        port,
        engine.settings.getAll().mapTileUrl,
      )
      headers['cache-control'] = 'no-store'
      // The page keeps the token in a cookie so reloads and <img> requests carry it.
      if (source === 'query') {
        headers['set-cookie'] = `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`
      }
    } else {
      headers['cache-control'] = url.pathname.startsWith('/assets/')
        ? 'private, max-age=31536000, immutable'
        : 'no-cache'
    }
    sendFile(res, file, headers, req.method)
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`request ${req.url}: ${error instanceof Error ? error.message : String(error)}`)
      if (!res.headersSent)
        sendJson(res, 500, { error: { code: 'internal', message: 'internal error' } })
      else res.destroy()
    })
  })

  const sockets = new WebSocketServer({ noServer: true })
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`)
    const ok =
      url.pathname === '/events' &&
      hostAllowed(req, port) &&
      originAllowed(req, port) &&
      presentedToken(req, url, token, cookieName) !== null
    if (!ok) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      socket.destroy()
      return
    }
    sockets.handleUpgrade(req, socket, head, (ws) => sockets.emit('connection', ws, req))
  })

  const broadcast = (event: VamEventName, payload: unknown) => {
    if (sockets.clients.size === 0) return
    const message = JSON.stringify({ event, payload })
    for (const client of sockets.clients as Set<WebSocket>) {
      if (client.readyState !== client.OPEN) continue
      // Job logs are the chatty kind; a stalled tab skips them rather than growing our memory.
      if (event === 'jobLog' && client.bufferedAmount > MAX_WS_BUFFER) continue
      client.send(message)
    }
  }
  const unsubscribe = FORWARDED_EVENTS.map((event) =>
    engine.events.on(event, (payload) => broadcast(event, payload)),
  )

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    // Loopback only: the host is never reachable from the network.
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  port = (server.address() as AddressInfo).port
  cookieName = cookieNameFor(port)

  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    async close() {
      for (const off of unsubscribe) off()
      for (const client of sockets.clients) client.terminate()
      sockets.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
