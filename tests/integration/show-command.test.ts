import { copyFileSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { vam } from '../helpers/run-cli'
import { useTempDirs } from '../helpers/temp-dir'

const tempDir = useTempDirs()
const PHOTOS = path.resolve(__dirname, '../fixtures/photos')

describe('vam show', () => {
  it('prints every field with hashes as 16-hex and the quality parts, by path or id', async () => {
    const base = tempDir()
    const lib = path.join(base, 'lib')
    mkdirSync(lib)
    copyFileSync(path.join(PHOTOS, 'kde_ColorfulCups.jpg'), path.join(lib, 'cups.jpg'))
    const catalog = path.join(base, 'c.sqlite')
    expect((await vam('--catalog', catalog, 'import', lib, '--no-progress')).code).toBe(0)
    expect((await vam('--catalog', catalog, 'run', 'analyze', '--no-progress')).code).toBe(0)

    const json = await vam('--catalog', catalog, 'show', path.join(lib, 'cups.jpg'), '--json')
    expect(json.code).toBe(0)
    const detail = JSON.parse(json.out)
    expect(detail.photo).toMatchObject({
      name: 'cups.jpg',
      make: 'SONY',
      width: 2560,
      height: 1600,
    })
    // imagehash's values for this photo (tests/fixtures/ref-hashes.json), within a few bits.
    expect(detail.extra.hashes.ahash).toMatch(/^[0-9a-f]{16}$/)
    expect(detail.extra.hashes.ahash).toBe('eb5669b7f6d90926')
    expect(Object.keys(detail.extra.quality.parts).sort()).toEqual(
      [
        'bytesPerPixel',
        'exposure',
        'format',
        'metadata',
        'noise',
        'resolution',
        'sharpness',
      ].sort(),
    )
    expect(detail.extra.quality.score).toBeGreaterThan(0)
    expect(
      detail.extra.thumbnails.map((t: { size: number; current: boolean }) => [t.size, t.current]),
    ).toEqual([
      [256, true],
      [1024, true],
    ])

    const text = await vam('--catalog', catalog, 'show', String(detail.photo.id))
    expect(text.code).toBe(0)
    for (const needle of [
      'photo:',
      'hashes:',
      'quality:',
      'thumbnails:',
      'eb5669b7f6d90926',
      'sharpness',
      'explanation',
    ]) {
      expect(text.out).toContain(needle)
    }
    expect((await vam('--catalog', catalog, 'show', '/no/such/file.jpg')).code).toBe(2)
  })
})
