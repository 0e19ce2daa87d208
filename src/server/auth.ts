import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/** A fresh per-run token: 32 random bytes, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

/** The cookie name carries the port: cookies ignore ports, and two hosts may run at once. */
export function cookieNameFor(port: number): string {
  return `vam_token_${port}`
}

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim())
      } catch {
        return undefined // malformed %-escape: no token, not a crash
      }
    }
  }
  return undefined
}

/** Where a request presented its token, or null when it presented none that matches. */
export type TokenSource = 'query' | 'header' | 'cookie'

export function presentedToken(
  req: IncomingMessage,
  url: URL,
  token: string,
  cookieName: string,
): TokenSource | null {
  const query = url.searchParams.get('token')
  if (query !== null && sameToken(query, token)) return 'query'
  const header = req.headers['x-vam-token']
  if (typeof header === 'string' && sameToken(header, token)) return 'header'
  const cookie = cookieValue(req.headers.cookie, cookieName)
  if (cookie !== undefined && sameToken(cookie, token)) return 'cookie'
  return null
}

/**
 * DNS-rebinding guard: a page on another site that resolves its name to 127.0.0.1 reaches us with
 * its own Host header. Only our loopback names are accepted.
 */
export function hostAllowed(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`
}

/**
 * Cross-site WebSocket hijacking guard: browsers send cookies on a cross-site upgrade, so an
 * upgrade with a foreign Origin is refused even when it carries our cookie.
 */
export function originAllowed(req: IncomingMessage, port: number): boolean {
  const origin = req.headers.origin
  if (origin === undefined) return true
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`
}
