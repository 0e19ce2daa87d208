import { EventEmitter } from 'node:events'
import type { Session } from 'electron'
import { describe, expect, it } from 'vitest'
import { APP_ORIGIN } from '../../src/main/app-protocol'
import {
  buildCsp,
  installSecurity,
  isPermissionAllowed,
  isTrustedUrl,
  originOf,
  safeExternalUrl,
  tileSourceFor,
  withCspHeader,
} from '../../src/main/security'

/** CSP text → { directive: sources[] }. */
function directives(csp: string): Record<string, string[]> {
  return Object.fromEntries(
    csp.split(';').map((part) => {
      const [name = '', ...sources] = part.trim().split(/\s+/)
      return [name, sources]
    }),
  )
}

describe(buildCsp.name, () => {
  it('is strict in production: own scripts only, no eval, no inline, no plugins, no framing', () => {
    const d = directives(buildCsp({ mapTileUrl: '', devServerOrigin: null }))
    expect(d['default-src']).toEqual(["'none'"])
    expect(d['script-src']).toEqual(["'self'"])
    expect(d['style-src']).toEqual(["'self'"])
    expect(d['object-src']).toEqual(["'none'"])
    expect(d['base-uri']).toEqual(["'none'"])
    expect(d['frame-ancestors']).toEqual(["'none'"])
    expect(d['connect-src']).toEqual(["'self'"])
    expect(d['img-src']).toEqual(["'self'", 'vam-media:', 'data:', 'blob:'])
    expect(JSON.stringify(d)).not.toContain('unsafe-eval')
    expect(JSON.stringify(d)).not.toContain('unsafe-inline')
    expect(JSON.stringify(d)).not.toContain('*')
  })

  it('adds the configured map tile host to img-src only', () => {
    const d = directives(
      buildCsp({
        mapTileUrl: 'https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png',
        devServerOrigin: null,
      }),
    )
    expect(d['img-src']).toContain('https://*.tile.openstreetmap.org')
    expect(d['connect-src']).toEqual(["'self'"])
    expect(d['script-src']).toEqual(["'self'"])
  })

  it('relaxes only what the dev server needs, and never allows eval', () => {
    const csp = buildCsp({ mapTileUrl: '', devServerOrigin: 'http://localhost:5173' })
    const d = directives(csp)
    expect(d['script-src']).toEqual(["'self'", "'unsafe-inline'"])
    expect(d['connect-src']).toEqual(["'self'", 'ws://localhost:5173'])
    expect(csp).not.toContain('unsafe-eval')
  })
})

describe(tileSourceFor.name, () => {
  it.each([
    ['https://tile.openstreetmap.org/{z}/{x}/{y}.png', 'https://tile.openstreetmap.org'],
    ['https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png', 'https://*.tile.openstreetmap.org'],
    ['https://tiles.example.com:8443/{z}/{x}/{y}.png', 'https://tiles.example.com:8443'],
    ['http://localhost:8080/{z}/{x}/{y}.png', 'http://localhost:8080'],
    ['http://127.0.0.1/{z}/{x}/{y}.png', 'http://127.0.0.1'],
  ])('%s → %s', (template, expected) => {
    expect(tileSourceFor(template)).toBe(expected)
  })

  it.each([
    '',
    'http://tile.openstreetmap.org/{z}/{x}/{y}.png', // plain HTTP off this machine
    'javascript:alert(1)',
    'data:image/png;base64,xx',
    'file:///tiles/{z}/{x}/{y}.png',
    'https://user:pw@tiles.example.com/{z}.png',
    'https://*/{z}.png',
    "https://a.example.com; script-src 'unsafe-eval'/{z}.png",
    'https://{z}.example.com/{x}.png',
    'https:///nohost',
    'not a url',
  ])('refuses %j', (template) => {
    expect(tileSourceFor(template)).toBeNull()
  })
})

describe(safeExternalUrl.name, () => {
  it('passes http(s) links with a host', () => {
    expect(safeExternalUrl('https://www.openstreetmap.org/copyright')).toBe(
      'https://www.openstreetmap.org/copyright',
    )
    expect(safeExternalUrl('http://example.com')).toBe('http://example.com/')
  })

  it.each([
    'file:///etc/passwd',
    'file://server/share/evil.exe',
    'smb://attacker/share',
    'javascript:alert(1)',
    'vam-media://original/1',
    'vam-app://renderer/index.html',
    'ms-msdt:/id PCWDiagnostic',
    'https://user:password@example.com/',
    'mailto:x@example.com',
    'https:',
    '',
    'x'.repeat(3000),
  ])('refuses %j', (url) => {
    expect(safeExternalUrl(url)).toBeNull()
  })
})

describe(isTrustedUrl.name, () => {
  it('compares scheme and host exactly, with a URL parser', () => {
    const trusted = [APP_ORIGIN]
    expect(originOf(`${APP_ORIGIN}/index.html`)).toBe(APP_ORIGIN)
    expect(isTrustedUrl(`${APP_ORIGIN}/index.html`, trusted)).toBe(true)
    expect(isTrustedUrl('vam-app://renderer.attacker.com/', trusted)).toBe(false)
    expect(isTrustedUrl('vam-app://renderer@attacker.com/', trusted)).toBe(false)
    expect(isTrustedUrl('https://renderer/', trusted)).toBe(false)
    expect(isTrustedUrl('file:///index.html', trusted)).toBe(false)
    expect(isTrustedUrl('', trusted)).toBe(false)
    expect(isTrustedUrl('http://localhost:5173/', ['http://localhost:5173'])).toBe(true)
    expect(isTrustedUrl('http://localhost:5174/', ['http://localhost:5173'])).toBe(false)
  })
})

describe(isPermissionAllowed.name, () => {
  it('denies everything but fullscreen and clipboard writes from our own origin', () => {
    const trusted = [APP_ORIGIN]
    const page = `${APP_ORIGIN}/index.html`
    expect(isPermissionAllowed('fullscreen', page, trusted)).toBe(true)
    expect(isPermissionAllowed('clipboard-sanitized-write', page, trusted)).toBe(true)
    expect(isPermissionAllowed('fullscreen', 'https://evil.example/', trusted)).toBe(false)
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'midi',
      'midiSysex',
      'pointerLock',
      'openExternal',
      'clipboard-read',
      'display-capture',
      'hid',
      'serial',
      'usb',
      'fileSystem',
      'unknown',
    ]) {
      expect(isPermissionAllowed(permission, page, trusted), permission).toBe(false)
    }
  })
})

describe(withCspHeader.name, () => {
  it('replaces a CSP header of any case and keeps the others', () => {
    const out = withCspHeader(
      { 'content-security-policy': ['default-src *'], 'Content-Type': ['text/html'] },
      "default-src 'none'",
    )
    expect(out).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': ["default-src 'none'"],
    })
  })
})

/** Captures what installSecurity registers on Electron's objects. */
function fakeElectron() {
  const app = new EventEmitter()
  const handlers: Record<string, (...args: never[]) => unknown> = {}
  const session = {
    webRequest: { onHeadersReceived: (fn: never) => (handlers.headers = fn) },
    setPermissionRequestHandler: (fn: never) => (handlers.request = fn),
    setPermissionCheckHandler: (fn: never) => (handlers.check = fn),
    setDevicePermissionHandler: (fn: never) => (handlers.device = fn),
  }
  const opened: string[] = []
  const shell = { openExternal: async (url: string) => void opened.push(url) }
  const logs: string[] = []
  installSecurity({
    app: app as never,
    session: session as unknown as Session,
    shell,
    trustedOrigins: [APP_ORIGIN],
    csp: () => "default-src 'none'",
    log: (m) => logs.push(m),
  })
  const contents = Object.assign(new EventEmitter(), {
    windowOpenHandler: null as null | ((d: { url: string }) => { action: string }),
    setWindowOpenHandler(fn: (d: { url: string }) => { action: string }) {
      this.windowOpenHandler = fn
    },
  })
  app.emit('web-contents-created', {}, contents)
  return { handlers, contents, opened, logs }
}

function navigation(url: string) {
  return {
    url,
    prevented: false,
    preventDefault() {
      this.prevented = true
    },
  }
}

describe(installSecurity.name, () => {
  it('prevents navigation away from our origin and opens http(s) links in the OS browser', async () => {
    const { contents, opened } = fakeElectron()
    const away = navigation('https://example.com/')
    contents.emit('will-navigate', away)
    expect(away.prevented).toBe(true)
    const file = navigation('file:///etc/passwd')
    contents.emit('will-navigate', file)
    expect(file.prevented).toBe(true)
    const redirect = navigation('https://evil.example/')
    contents.emit('will-redirect', redirect)
    expect(redirect.prevented).toBe(true)
    const inside = navigation(`${APP_ORIGIN}/index.html`)
    contents.emit('will-navigate', inside)
    expect(inside.prevented).toBe(false)
    await Promise.resolve()
    expect(opened).toEqual(['https://example.com/', 'https://evil.example/'])
  })

  it('denies every window.open, opening only safe URLs externally', async () => {
    const { contents, opened } = fakeElectron()
    expect(contents.windowOpenHandler?.({ url: 'https://www.openstreetmap.org/' })).toEqual({
      action: 'deny',
    })
    expect(contents.windowOpenHandler?.({ url: 'file:///C:/Windows/System32/calc.exe' })).toEqual({
      action: 'deny',
    })
    expect(contents.windowOpenHandler?.({ url: `${APP_ORIGIN}/index.html` })).toEqual({
      action: 'deny',
    })
    await Promise.resolve()
    expect(opened).toEqual(['https://www.openstreetmap.org/'])
  })

  it('blocks <webview> attachment', () => {
    const { contents } = fakeElectron()
    const event = navigation('')
    contents.emit('will-attach-webview', event, {}, {})
    expect(event.prevented).toBe(true)
  })

  it('answers permission requests and checks with a default deny', () => {
    const { handlers } = fakeElectron()
    const answers: boolean[] = []
    const request = handlers.request as unknown as (
      c: null,
      p: string,
      cb: (ok: boolean) => void,
      d: { requestingUrl: string },
    ) => void
    request(null, 'media', (ok) => answers.push(ok), { requestingUrl: `${APP_ORIGIN}/` })
    request(null, 'fullscreen', (ok) => answers.push(ok), { requestingUrl: `${APP_ORIGIN}/` })
    request(null, 'fullscreen', (ok) => answers.push(ok), { requestingUrl: 'https://x.example/' })
    expect(answers).toEqual([false, true, false])
    const check = handlers.check as unknown as (c: null, p: string, origin: string) => boolean
    expect(check(null, 'geolocation', APP_ORIGIN)).toBe(false)
    expect(check(null, 'fullscreen', APP_ORIGIN)).toBe(true)
    expect((handlers.device as unknown as () => boolean)()).toBe(false)
  })

  it('puts the CSP on documents only', () => {
    const { handlers } = fakeElectron()
    const headers = handlers.headers as unknown as (
      d: { resourceType: string; responseHeaders?: Record<string, string[]> },
      cb: (r: { responseHeaders?: Record<string, string[]> }) => void,
    ) => void
    const results: unknown[] = []
    headers({ resourceType: 'mainFrame', responseHeaders: { 'X-A': ['1'] } }, (r) =>
      results.push(r),
    )
    headers({ resourceType: 'image', responseHeaders: {} }, (r) => results.push(r))
    expect(results).toEqual([
      { responseHeaders: { 'X-A': ['1'], 'Content-Security-Policy': ["default-src 'none'"] } },
      {},
    ])
  })
})
