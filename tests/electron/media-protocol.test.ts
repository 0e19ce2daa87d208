import { mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { afterEach, describe, expect, it } from 'vitest'
import { openCatalog, type Catalog } from '../../src/core/catalog/open-catalog'
import {
  THUMB_SIZES,
  catalogMediaSource,
  resolveMedia,
  sniffImage,
  type MediaSource,
  type ThumbSize,
} from '../../src/core/media/media-lookup'
import { handleMediaRequest, parseMediaRequest } from '../../src/main/media-protocol'
import { useTempDirs } from '../helpers/temp-dir'

const tempDir = useTempDirs()

describe(parseMediaRequest.name, () => {
  it.each([
    ['vam-media://thumb/1', { kind: 'thumb', id: 1, size: 256 }],
    ['vam-media://thumb/42?size=1024', { kind: 'thumb', id: 42, size: 1024 }],
    ['vam-media://thumb/42?size=256', { kind: 'thumb', id: 42, size: 256 }],
    ['vam-media://thumb/42?size=256&v=3', { kind: 'thumb', id: 42, size: 256 }],
    ['vam-media://thumb/42?v=k9&size=1024', { kind: 'thumb', id: 42, size: 1024 }],
    ['vam-media://original/7', { kind: 'original', id: 7 }],
    ['vam-media://original/7?v=abc', { kind: 'original', id: 7 }],
    ['vam-media://original/9007199254740991', { kind: 'original', id: Number.MAX_SAFE_INTEGER }],
  ])('accepts %s', (url, expected) => {
    expect(parseMediaRequest(url)).toEqual(expected)
  })

  it.each([
    // traversal, in every spelling
    'vam-media://thumb/../../etc/passwd',
    'vam-media://original/../../../etc/passwd',
    'vam-media://original/1/../2',
    'vam-media://original/%2e%2e/%2e%2e/etc/passwd',
    'vam-media://original/%2E%2E%2Fetc%2Fpasswd',
    'vam-media://original/%252e%252e%252fetc',
    'vam-media://original/..%2f..%2fetc%2fpasswd',
    'vam-media://original/..%5c..%5cwindows',
    'vam-media://original/%c0%ae%c0%ae/etc',
    'vam-media://thumb/1%00',
    'vam-media://thumb/1%2f..',
    // absolute paths and path-shaped requests
    'vam-media:///etc/passwd',
    'vam-media://original//etc/passwd',
    'vam-media://original/C:\\Windows\\win.ini',
    'vam-media://original/C:/Windows/win.ini',
    'vam-media://original/\\\\server\\share\\x.jpg',
    'vam-media://original/home/user/photo.jpg',
    'vam-media://original/1.jpg',
    'vam-media://original?path=/etc/passwd',
    'vam-media://thumb/1?path=/etc/passwd',
    'vam-media://thumb/1?file=../../x',
    'file:///etc/passwd',
    'http://thumb/1',
    'vam-media:thumb/1',
    // ids that are not positive decimal safe integers
    'vam-media://thumb/0',
    'vam-media://thumb/-1',
    'vam-media://thumb/01',
    'vam-media://thumb/1.5',
    'vam-media://thumb/1e3',
    'vam-media://thumb/0x10',
    'vam-media://thumb/+1',
    'vam-media://thumb/%31',
    'vam-media://thumb/ 1',
    'vam-media://thumb/1 ',
    'vam-media://thumb/\u0661',
    'vam-media://thumb/9007199254740992',
    'vam-media://thumb/99999999999999999999',
    'vam-media://original/9999999999999999',
    'vam-media://thumb/',
    'vam-media://thumb',
    // shape: hosts, trailing parts, parameters, user info, ports, fragments
    'vam-media://thumb/1/',
    'vam-media://thumb/1/extra',
    'vam-media://file/1',
    'vam-media://THUMB/1',
    'vam-media://preview/1/../../x',
    'vam-media://thumb/1?size=512',
    'vam-media://thumb/1?size=',
    'vam-media://thumb/1?size=256&size=1024',
    'vam-media://thumb/1?size=256&',
    'vam-media://thumb/1?v=1&v=2',
    'vam-media://thumb/1?size=256#x',
    'vam-media://original/1?size=256',
    'vam-media://user@thumb/1',
    'vam-media://user:pw@thumb/1',
    'vam-media://thumb:8080/1',
    'vam-media://thumb/1?v=' + 'a'.repeat(33),
    'VAM-MEDIA://thumb/1',
    ' vam-media://thumb/1',
    'vam-media://thumb/1\n',
    `vam-media://thumb/${'1'.repeat(300)}`,
    '',
  ])('refuses %j', (url) => {
    expect(parseMediaRequest(url)).toBeNull()
  })

  it('refuses non-strings', () => {
    for (const value of [
      undefined,
      null,
      1,
      {},
      ['vam-media://thumb/1'],
      new URL('vam-media://thumb/1'),
    ]) {
      expect(parseMediaRequest(value as unknown as string)).toBeNull()
    }
  })

  it('never throws on random input, and whatever it accepts is an id it can find in the URL', () => {
    const alphabet = 'vam-edi:/thumbori gnal?size=&v0123456789.%2eEfF\\~#@'
    let seed = 12345
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      return seed / 0x7fffffff
    }
    for (let i = 0; i < 20_000; i++) {
      const prefix = random() < 0.5 ? 'vam-media://' : ''
      let s = prefix
      const n = Math.floor(random() * 40)
      for (let j = 0; j < n; j++) s += alphabet[Math.floor(random() * alphabet.length)]
      const parsed = parseMediaRequest(s)
      if (parsed) {
        expect(Number.isSafeInteger(parsed.id) && parsed.id > 0).toBe(true)
        expect(s).toContain(`/${parsed.id}`)
        expect(s).not.toMatch(/\.\.|%|\\/)
      }
    }
  })
})

describe(sniffImage.name, () => {
  it('recognises the browser image formats by their bytes and nothing else', async () => {
    const pixel = sharp({ create: { width: 4, height: 4, channels: 3, background: '#f80' } })
    expect(sniffImage(await pixel.clone().jpeg().toBuffer())).toBe('image/jpeg')
    expect(sniffImage(await pixel.clone().png().toBuffer())).toBe('image/png')
    expect(sniffImage(await pixel.clone().webp().toBuffer())).toBe('image/webp')
    expect(sniffImage(await pixel.clone().gif().toBuffer())).toBe('image/gif')
    expect(sniffImage(Buffer.from('\0\0\0\x18ftypisom\0\0\0\0'))).toBeNull() // MP4
    expect(sniffImage(Buffer.from('root:x:0:0:root:/root:/bin/bash\n'))).toBeNull()
    expect(sniffImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull()
    expect(sniffImage(new Uint8Array(0))).toBeNull()
  })
})

/** A real catalog with real files: photos of every kind the handler must tell apart. */
async function fixture() {
  const dir = tempDir()
  const catalog = await openCatalog(path.join(dir, 'catalog.sqlite'))
  const photos = path.join(dir, 'photos')
  mkdirSync(photos)
  mkdirSync(catalog.paths.cacheDir, { recursive: true })
  const img = sharp({ create: { width: 32, height: 24, channels: 3, background: '#3a6' } })
  const files = {
    jpeg: path.join(photos, 'a.jpg'),
    png: path.join(photos, 'b.png'),
    fakeJpeg: path.join(photos, 'not-really.jpg'),
    video: path.join(photos, 'clip.mp4'),
    heic: path.join(photos, 'c.heic'),
    gone: path.join(photos, 'gone.jpg'),
  }
  writeFileSync(files.jpeg, await img.clone().jpeg().toBuffer())
  writeFileSync(files.png, await img.clone().png().toBuffer())
  writeFileSync(files.fakeJpeg, 'root:x:0:0:root:/root:/bin/bash\n')
  writeFileSync(files.video, Buffer.from('\0\0\0\x18ftypisom\0\0\0\0isomavc1'))
  writeFileSync(files.heic, Buffer.from('\0\0\0\x18ftypheic\0\0\0\0mif1heic'))
  const insert = catalog.db.prepare(
    `INSERT INTO photos (id, path, folder, name, size, mtime_ms, format, media_kind, imported_at, missing_since)
     VALUES (?, ?, ?, ?, 1, 0, ?, ?, '2024-01-01T00:00:00Z', ?)`,
  )
  const row = (
    id: number,
    file: string,
    format: string,
    kind: string,
    missing: string | null = null,
  ) => insert.run(id, file, photos, path.basename(file), format, kind, missing)
  row(1, files.jpeg, 'jpeg', 'image')
  row(2, files.png, 'png', 'image')
  row(3, files.fakeJpeg, 'jpeg', 'image')
  row(4, files.video, 'mp4', 'video')
  row(5, files.video + '.copy', 'mov', 'video')
  row(6, files.heic, 'heic', 'image')
  row(7, files.gone, 'jpeg', 'image', '2024-02-01T00:00:00Z')

  // Thumbnails: real WebP files in the cache dir, plus hostile rows pointing elsewhere.
  const thumbs = new Map<string, string>()
  const thumb = async (id: number, size: ThumbSize) => {
    const file = path.join(catalog.paths.cacheDir, `${id % 100}`, `${id}-${size}.webp`)
    mkdirSync(path.dirname(file), { recursive: true })
    writeFileSync(
      file,
      await img
        .clone()
        .resize(size > 256 ? 64 : 16)
        .webp()
        .toBuffer(),
    )
    thumbs.set(`${id}:${size}`, file)
  }
  for (const id of [1, 2, 4, 6, 7]) for (const size of THUMB_SIZES) await thumb(id, size)
  // 20: the thumbnails row points at a file outside the cache (a tampered catalog).
  thumbs.set('20:256', files.jpeg)
  // 21: a symlink inside the cache that leads outside it.
  const link = path.join(catalog.paths.cacheDir, 'evil.webp')
  symlinkSync(files.png, link)
  thumbs.set('21:256', link)
  // 22: inside the cache but not an image.
  const text = path.join(catalog.paths.cacheDir, 'notes.webp')
  writeFileSync(text, 'hello')
  thumbs.set('22:256', text)
  // 23: a path with traversal that lexically starts with the cache dir.
  thumbs.set('23:256', path.join(catalog.paths.cacheDir, '..', 'photos', 'a.jpg'))

  const source = catalogMediaSource(catalog, (id, size) => thumbs.get(`${id}:${size}`) ?? null)
  return { catalog, source, files, thumbs }
}

const open: Catalog[] = []
afterEach(() => {
  for (const catalog of open.splice(0)) catalog.close()
})

async function setup() {
  const f = await fixture()
  open.push(f.catalog)
  return f
}

describe(resolveMedia.name, () => {
  it('serves thumbnails from the cache dir by id and size', async () => {
    const { source, thumbs } = await setup()
    for (const size of THUMB_SIZES) {
      const resolved = await resolveMedia({ kind: 'thumb', id: 1, size }, source)
      expect(resolved).toMatchObject({ ok: true, contentType: 'image/webp' })
      if (resolved.ok) expect(resolved.file).toBe(thumbs.get(`1:${size}`))
    }
  })

  it('serves an original a browser shows, sniffed from its bytes', async () => {
    const { source, files } = await setup()
    expect(await resolveMedia({ kind: 'original', id: 1 }, source)).toMatchObject({
      ok: true,
      file: files.jpeg,
      contentType: 'image/jpeg',
    })
    expect(await resolveMedia({ kind: 'original', id: 2 }, source)).toMatchObject({
      ok: true,
      file: files.png,
      contentType: 'image/png',
    })
  })

  it('refuses unknown ids and ids without a thumbnail', async () => {
    const { source } = await setup()
    expect(await resolveMedia({ kind: 'original', id: 999 }, source)).toMatchObject({
      ok: false,
      status: 404,
    })
    expect(await resolveMedia({ kind: 'thumb', id: 999, size: 256 }, source)).toMatchObject({
      ok: false,
      status: 404,
    })
    expect(await resolveMedia({ kind: 'thumb', id: 3, size: 1024 }, source)).toMatchObject({
      ok: false,
      status: 404,
    })
  })

  it('never serves the bytes of a non-image, whatever the catalog says it is', async () => {
    const { source, files } = await setup()
    // Catalogued as JPEG, really a text file, no preview: refused.
    expect(await resolveMedia({ kind: 'original', id: 3 }, source)).toMatchObject({
      ok: false,
      status: 415,
    })
    // A video with a preview frame: the preview (an image), never the video file.
    const video = await resolveMedia({ kind: 'original', id: 4 }, source)
    expect(video).toMatchObject({ ok: true, contentType: 'image/webp' })
    if (video.ok) expect(video.file).not.toBe(files.video)
    // A video without a preview: refused as not an image.
    expect(await resolveMedia({ kind: 'original', id: 5 }, source)).toMatchObject({
      ok: false,
      status: 415,
    })
  })

  it('gives the 1024 px preview for formats a browser cannot show, and for missing files', async () => {
    const { source, thumbs } = await setup()
    for (const id of [6, 7]) {
      const resolved = await resolveMedia({ kind: 'original', id }, source)
      expect(resolved).toMatchObject({ ok: true, contentType: 'image/webp' })
      if (resolved.ok) expect(resolved.file).toBe(thumbs.get(`${id}:1024`))
    }
  })

  it('refuses thumbnail paths outside the cache dir: direct, via symlink, via ..', async () => {
    const { source } = await setup()
    for (const id of [20, 21, 23]) {
      expect(await resolveMedia({ kind: 'thumb', id, size: 256 }, source)).toMatchObject({
        ok: false,
        status: 404,
      })
    }
    expect(await resolveMedia({ kind: 'thumb', id: 22, size: 256 }, source)).toMatchObject({
      ok: false,
      status: 415,
    })
  })

  it('accepts a configured thumbnail folder besides the catalog cache', async () => {
    const { catalog, files } = await setup()
    const elsewhere = path.dirname(files.png)
    const lookup = () => files.png
    const strict = catalogMediaSource(catalog, lookup)
    const configured = catalogMediaSource(catalog, lookup, () => [elsewhere])
    expect(await resolveMedia({ kind: 'thumb', id: 2, size: 256 }, strict)).toMatchObject({
      ok: false,
    })
    expect(await resolveMedia({ kind: 'thumb', id: 2, size: 256 }, configured)).toMatchObject({
      ok: true,
    })
  })
})

describe(handleMediaRequest.name, () => {
  it('answers GET with the file bytes, type and length', async () => {
    const { source, files } = await setup()
    const response = await handleMediaRequest('GET', 'vam-media://original/1', source)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('image/jpeg')
    expect(response.headers.get('content-length')).toBe(String(statSync(files.jpeg).size))
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(Buffer.from(await response.arrayBuffer()).equals(readFileSync(files.jpeg))).toBe(true)
  })

  it('answers HEAD without a body', async () => {
    const { source } = await setup()
    const response = await handleMediaRequest('HEAD', 'vam-media://thumb/1?size=1024', source)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('image/webp')
    expect(await response.text()).toBe('')
  })

  it('maps refusals to status codes and never leaks a path', async () => {
    const { source, files } = await setup()
    const cases: [string, string, number][] = [
      ['POST', 'vam-media://original/1', 405],
      ['GET', 'vam-media://original/../../etc/passwd', 400],
      ['GET', `vam-media://original/${files.jpeg}`, 400],
      ['GET', 'vam-media://original/999', 404],
      ['GET', 'vam-media://original/3', 415],
      ['GET', 'vam-media://thumb/20', 404],
    ]
    for (const [method, url, status] of cases) {
      const response = await handleMediaRequest(method, url, source)
      expect(response.status, `${method} ${url}`).toBe(status)
      const body = await response.text()
      expect(body).not.toContain(path.sep + 'photos')
    }
  })

  it('answers 503 while no catalog is open (during shutdown)', async () => {
    const response = await handleMediaRequest(
      'GET',
      'vam-media://thumb/1',
      null as MediaSource | null,
    )
    expect(response.status).toBe(503)
  })
})
