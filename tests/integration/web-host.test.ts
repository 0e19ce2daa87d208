import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { openEngine, type Engine } from '../../src/core/engine'
import { startWebHost, type WebHost } from '../../src/server/web-host'

const fixture = path.resolve('tests/fixtures/photos/kde_Kite.jpg')

/** A raw request, so tests can send any Host header (fetch forbids setting it). */
function raw(
  port: number,
  pathname: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
}> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path: pathname,
        method: init.method ?? 'GET',
        headers: init.headers,
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        )
      },
    )
    req.on('error', reject)
    if (init.body !== undefined) req.write(init.body)
    req.end()
  })
}

describe('startWebHost', () => {
  let dir: string
  let engine: Engine
  let host: WebHost
  let photoId: number
  let rawPhotoId: number
  const thumbFile = () => path.join(dir, 'thumb-256.webp')

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'vam-webhost-'))
    const staticDir = path.join(dir, 'dist-web')
    mkdirSync(path.join(staticDir, 'assets'), { recursive: true })
    writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>VAM</title>')
    writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)')
    writeFileSync(path.join(dir, 'secret.txt'), 'not for the browser')
    writeFileSync(thumbFile(), 'RIFFxxxxWEBP')
    const photos = path.join(dir, 'photos')
    mkdirSync(photos)
    copyFileSync(fixture, path.join(photos, 'kite.jpg'))
    writeFileSync(path.join(photos, 'shot.cr2'), 'raw bytes')
    engine = await openEngine(path.join(dir, 'catalog.sqlite'), { workerCount: 1 })
    const insert = engine.catalog.db.prepare(
      `INSERT INTO photos (path, folder, name, size, mtime_ms, format, imported_at)
       VALUES (?, ?, ?, 1, 0, ?, '2024-01-01T00:00:00Z')`,
    )
    photoId = Number(
      insert.run(path.join(photos, 'kite.jpg'), photos, 'kite.jpg', 'jpeg').lastInsertRowid,
    )
    rawPhotoId = Number(
      insert.run(path.join(photos, 'shot.cr2'), photos, 'shot.cr2', 'raw').lastInsertRowid,
    )
    host = await startWebHost({
      engine,
      staticDir,
      thumbnails: (_engine, id, size) => (id === photoId && size === 256 ? thumbFile() : null),
    })
  })

  afterAll(async () => {
    await host.close()
    await engine.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const api = (name: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`http://127.0.0.1:${host.port}/api/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-vam-token': host.token, ...headers },
      body: JSON.stringify(body),
    })

  it('binds loopback on a random port with a long random token', () => {
    expect(host.port).toBeGreaterThan(0)
    expect(host.token.length).toBeGreaterThanOrEqual(40)
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`)
  })

  it('refuses every request without the token', async () => {
    for (const p of [
      '/',
      '/index.html',
      '/assets/app.js',
      `/media/thumb/${photoId}`,
      '/api/catalog/info',
    ]) {
      const res = await fetch(`http://127.0.0.1:${host.port}${p}`)
      expect(res.status, p).toBe(401)
    }
    const wrong = await fetch(`http://127.0.0.1:${host.port}/?token=nope`)
    expect(wrong.status).toBe(401)
    const post = await api('catalog/info', {}, { 'x-vam-token': 'x' })
    expect(post.status).toBe(401)
  })

  it('serves the page with the token, a strict CSP and a cookie for later requests', async () => {
    const res = await fetch(host.url)
    expect(res.status).toBe(200)
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toContain('unsafe-inline')
    const cookie = res.headers.get('set-cookie') ?? ''
    expect(cookie).toContain(`vam_token_${host.port}=${host.token}`)
    expect(cookie).toContain('HttpOnly')
    const again = await fetch(`http://127.0.0.1:${host.port}/assets/app.js`, {
      headers: { cookie: cookie.split(';')[0] as string },
    })
    expect(again.status).toBe(200)
    expect(await again.text()).toBe('console.log(1)')
  })

  it('answers a malformed token cookie with 401, not a crash', async () => {
    const res = await fetch(`http://127.0.0.1:${host.port}/assets/app.js`, {
      headers: { cookie: `vam_token_${host.port}=%E0%A4%A` },
    })
    expect(res.status).toBe(401)
    expect((await fetch(host.url)).status).toBe(200)
  })

  it('refuses foreign Host headers (DNS rebinding)', async () => {
    const res = await raw(host.port, `/?token=${host.token}`, {
      headers: { host: 'evil.example:80' },
    })
    expect(res.status).toBe(403)
  })

  it('never serves files outside the static folder', async () => {
    for (const p of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
    ]) {
      const res = await raw(host.port, `${p}?token=${host.token}`)
      expect(res.status, p).toBe(404)
      expect(res.body.toString()).not.toContain('not for the browser')
    }
  })

  it('calls the contract over POST /api/<service>/<method>', async () => {
    const res = await api('catalog/info', {})
    expect(res.status).toBe(200)
    const info = (await res.json()) as { photoCount: number }
    expect(info.photoCount).toBe(2)
    const page = await (await api('photos/page', { offset: 0, limit: 10, sort: 'name' })).json()
    expect((page as { items: { name: string }[] }).items.map((p) => p.name)).toEqual([
      'kite.jpg',
      'shot.cr2',
    ])
  })

  it('answers bad calls with typed JSON errors, never a crash', async () => {
    const invalid = await api('photos/page', { offset: -1, limit: 10 })
    expect(invalid.status).toBe(400)
    expect(((await invalid.json()) as { error: { code: string } }).error.code).toBe(
      'invalid_argument',
    )
    const unknown = await api('photos/nothing', {})
    expect(unknown.status).toBe(404)
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe(
      'unknown_method',
    )
    const proto = await api('__proto__/constructor', {})
    expect(proto.status).toBe(404)
    const notJson = await fetch(`http://127.0.0.1:${host.port}/api/catalog/info`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-vam-token': host.token },
      body: '{nope',
    })
    expect(notJson.status).toBe(400)
    const form = await fetch(`http://127.0.0.1:${host.port}/api/catalog/info`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-vam-token': host.token },
      body: 'a=1',
    })
    expect(form.status).toBe(415)
    // An engine error (a job that does not exist) is a 500 with a message, and the host lives on.
    const failing = await api('jobs/pause', { id: 999 })
    expect(failing.status).toBe(500)
    expect(((await failing.json()) as { error: { code: string } }).error.code).toBe('internal')
    expect((await api('catalog/info', {})).status).toBe(200)
  })

  it('serves thumbnails and originals by catalog id only', async () => {
    const t = `token=${host.token}`
    const thumb = await raw(host.port, `/media/thumb/${photoId}?size=256&${t}`)
    expect(thumb.status).toBe(200)
    expect(thumb.headers['content-type']).toBe('image/webp')
    expect((await raw(host.port, `/media/thumb/${photoId}?size=1024&${t}`)).status).toBe(404)
    expect((await raw(host.port, `/media/thumb/${photoId}?size=999&${t}`)).status).toBe(400)
    for (const bad of [
      '/media/thumb/abc',
      '/media/thumb/-1',
      '/media/thumb/0',
      '/media/original/..%2fsecret.txt',
      `/media/thumb/${photoId}/x`,
    ]) {
      expect((await raw(host.port, `${bad}?${t}`)).status, bad).toBe(400)
    }
    const original = await raw(host.port, `/media/original/${photoId}?${t}`)
    expect(original.status).toBe(200)
    expect(original.headers['content-type']).toBe('image/jpeg')
    expect(original.body.equals(readFileSync(fixture))).toBe(true)
    // A RAW original is not a browser format: its 1024 preview would be served; there is none yet.
    expect((await raw(host.port, `/media/original/${rawPhotoId}?${t}`)).status).toBe(404)
    expect((await raw(host.port, `/media/original/424242?${t}`)).status).toBe(404)
  })

  it('pushes engine events over the WebSocket, and refuses upgrades without the token', async () => {
    const refused = new WebSocket(`ws://127.0.0.1:${host.port}/events`)
    const refusal = await new Promise<string>((resolve) => {
      refused.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)))
      refused.on('open', () => resolve('open'))
      refused.on('error', () => resolve('error'))
    })
    expect(refusal).toBe('401')
    const foreign = new WebSocket(`ws://127.0.0.1:${host.port}/events?token=${host.token}`, {
      origin: 'http://evil.example',
    })
    const foreignResult = await new Promise<string>((resolve) => {
      foreign.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)))
      foreign.on('open', () => resolve('open'))
      foreign.on('error', () => resolve('error'))
    })
    expect(foreignResult).toBe('401')

    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/events?token=${host.token}`)
    await new Promise((resolve, reject) => {
      ws.on('open', resolve)
      ws.on('error', reject)
    })
    const received = new Promise<{ event: string; payload: { reason: string } }>((resolve) => {
      ws.on('message', (data) => resolve(JSON.parse(String(data))))
    })
    engine.events.emit('catalogChanged', { reason: 'test' })
    expect(await received).toEqual({ event: 'catalogChanged', payload: { reason: 'test' } })
    ws.close()
  })
})
