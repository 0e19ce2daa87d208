import type { App, Session, Shell, WebContents } from 'electron'
import { MEDIA_SCHEME } from './media-protocol'

export interface CspOptions {
  /** The online map tile URL template from settings ('' = offline basemap only). */
  readonly mapTileUrl: string
  /**
   * electron-vite dev server origin while developing (`http://localhost:5173`), else null. Its
   * React refresh preamble is an inline script and HMR talks over a WebSocket.
   */
  readonly devServerOrigin: string | null
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/**
 * The CSP source for a Leaflet tile URL template (`https://{s}.tile.example.org/{z}/{x}/{y}.png`)
 * or null when it is unusable. HTTPS only (plain HTTP only from this machine), no credentials;
 * `{s}` subdomains become a `*.` wildcard of that host only.
 */
export function tileSourceFor(template: string): string | null {
  if (!template || template.length > 2048) return null
  const hostPart = /^(https?):\/\/([^/?#]+)/i.exec(template)
  if (!hostPart?.[1] || !hostPart[2]) return null
  const scheme = hostPart[1].toLowerCase()
  const rawHost = hostPart[2]
  const wildcard = /^\{s\}\./.test(rawHost)
  let url: URL
  try {
    url = new URL(`${scheme}://${wildcard ? `a.${rawHost.slice(4)}` : rawHost}/`)
  } catch {
    return null
  }
  if (url.username || url.password || /[{}*]/.test(url.host)) return null
  if (scheme === 'http' && !LOOPBACK_HOSTS.has(url.hostname)) return null
  const host = wildcard ? `*.${url.host.slice(2)}` : url.host
  return `${scheme}://${host}`
}

/**
 * The renderer's Content-Security-Policy: our own scripts and styles only, images from us, the
 * vam-media:// protocol and the tile host; no eval anywhere, no plugins, no framing, no forms.
 * Mirrors the web host's policy (src/server/web-host.ts).
 */
export function buildCsp(options: CspOptions): string {
  const tile = tileSourceFor(options.mapTileUrl)
  const dev = options.devServerOrigin
  const devWs = dev ? dev.replace(/^http/, 'ws') : null
  return [
    "default-src 'none'",
    // Dev only: Vite's React refresh preamble is inline. Never 'unsafe-eval', not even in dev.
    dev ? `script-src 'self' 'unsafe-inline'` : "script-src 'self'",
    // Dev only: Vite injects imported CSS as <style> elements.
    dev ? `style-src 'self' 'unsafe-inline'` : "style-src 'self'",
    `img-src 'self' ${MEDIA_SCHEME}: data: blob:${tile ? ` ${tile}` : ''}`,
    "font-src 'self' data:",
    `connect-src 'self'${devWs ? ` ${devWs}` : ''}`,
    "worker-src 'self' blob:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "frame-src 'none'",
    "object-src 'none'",
  ].join('; ')
}

/**
 * The URL to hand to the OS browser, or null. Only http(s) with a real host and no embedded
 * credentials: `shell.openExternal` on `file:`, `smb:` or custom schemes can run programs.
 */
export function safeExternalUrl(raw: string): string | null {
  if (typeof raw !== 'string' || raw.length > 2048) return null
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return null
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null
  if (!url.hostname || url.username || url.password) return null
  return url.href
}

/** `scheme://host` of a URL (Node reports `null` as the origin of custom schemes). */
export function originOf(raw: string): string | null {
  try {
    const url = new URL(raw)
    if (!url.host) return null
    return `${url.protocol}//${url.host}`
  } catch {
    return null
  }
}

/** Whether a URL belongs to one of our renderer origins (IPC sender check, navigation check). */
export function isTrustedUrl(raw: string, trustedOrigins: readonly string[]): boolean {
  const origin = originOf(raw)
  return origin !== null && trustedOrigins.includes(origin)
}

/**
 * Permissions the renderer may use, and only from our own origin: element fullscreen (photo
 * viewer) and writing text to the clipboard ("copy path"). Everything else — camera, microphone,
 * geolocation, notifications (main shows them), MIDI, HID, USB, serial… — is denied.
 */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set([
  'fullscreen',
  'clipboard-sanitized-write',
])

export function isPermissionAllowed(
  permission: string,
  requestingUrl: string,
  trustedOrigins: readonly string[],
): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isTrustedUrl(requestingUrl, trustedOrigins)
}

/** Sets (replaces, whatever its case) the CSP header in a response header map. */
export function withCspHeader(
  headers: Record<string, string[] | string> | undefined,
  csp: string,
): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (key.toLowerCase() === 'content-security-policy') continue
    out[key] = Array.isArray(value) ? value : [value]
  }
  out['Content-Security-Policy'] = [csp]
  return out
}

export interface SecurityDeps {
  readonly app: Pick<App, 'on'>
  readonly session: Session
  readonly shell: Pick<Shell, 'openExternal'>
  /** Renderer origins we load (`vam-app://renderer`, or the dev server's). */
  readonly trustedOrigins: readonly string[]
  /** Current CSP (reads the tile URL setting each time, so a change applies on reload). */
  readonly csp: () => string
  readonly log: (message: string) => void
}

/** Opens a URL in the OS browser when it is safe to; logs and drops it otherwise. */
export function openExternalSafely(deps: Pick<SecurityDeps, 'shell' | 'log'>, raw: string): void {
  const url = safeExternalUrl(raw)
  if (!url) {
    deps.log(`refused to open external URL: ${String(raw).slice(0, 200)}`)
    return
  }
  deps.shell
    .openExternal(url)
    .catch((error: unknown) => deps.log(`openExternal failed: ${String(error)}`))
}

/** Locks down every web contents the app ever creates, and the default session. */
export function installSecurity(deps: SecurityDeps): void {
  const { session, trustedOrigins } = deps

  // Checklist 7: the CSP as a response header on every document (dev server included).
  session.webRequest.onHeadersReceived((details, callback) => {
    if (details.resourceType === 'mainFrame' || details.resourceType === 'subFrame') {
      callback({ responseHeaders: withCspHeader(details.responseHeaders, deps.csp()) })
    } else {
      callback({})
    }
  })

  // Checklist 5: deny by default; the two harmless ones only for our own pages.
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    const url = details.requestingUrl || contents?.getURL() || ''
    const allowed = isPermissionAllowed(permission, url, trustedOrigins)
    if (!allowed) deps.log(`denied permission ${permission} to ${url.slice(0, 200)}`)
    callback(allowed)
  })
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin, trustedOrigins),
  )
  session.setDevicePermissionHandler(() => false)

  // Checklist 11–14: no webviews, no navigation away, no new windows.
  deps.app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault())
    const guard = (event: { preventDefault(): void }, url: string) => {
      if (isTrustedUrl(url, trustedOrigins)) return
      event.preventDefault()
      // A plain <a href="https://…"> click: the user meant to open it, in their browser.
      openExternalSafely(deps, url)
    }
    contents.on('will-navigate', (event) => guard(event, event.url))
    contents.on('will-redirect', (event) => guard(event, event.url))
    contents.setWindowOpenHandler(({ url }) => {
      openExternalSafely(deps, url)
      return { action: 'deny' }
    })
  })
}
