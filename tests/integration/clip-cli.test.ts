import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { vam } from '../helpers/run-cli'
import { writeTinyClip } from '../helpers/clip-tiny'
import { useTempDirs } from '../helpers/temp-dir'

const tempDir = useTempDirs()

describe('vam model / search / similar / tags', () => {
  it('sets a model, embeds, searches, and edits the taxonomy', async () => {
    const dir = tempDir()
    const photos = path.join(dir, 'photos')
    mkdirSync(photos)
    for (const [name, rgb] of [
      ['red', [255, 0, 0]],
      ['blue', [0, 0, 255]],
      ['grey', [128, 128, 128]],
    ] as const) {
      const [r, g, b] = rgb
      await sharp({ create: { width: 64, height: 64, channels: 3, background: { r, g, b } } })
        .png()
        .toFile(path.join(photos, `${name}.png`))
    }
    const model = path.join(dir, 'model')
    writeTinyClip(model)
    const catalog = ['--catalog', path.join(dir, 'catalog.sqlite')]

    const none = await vam(...catalog, 'model', 'show')
    expect(none.out).toMatch(/no CLIP model set: vam model set DIR/)
    const noSearch = await vam(...catalog, 'search', 'red')
    expect(noSearch.code).toBe(1)
    expect(noSearch.err).toMatch(/vam search: no CLIP model set: vam model set DIR/)

    const bad = await vam(...catalog, 'model', 'set', photos)
    expect(bad.code).toBe(1)
    expect(bad.err).toMatch(/not a usable CLIP model folder .*no image encoder/s)

    const set = await vam(...catalog, 'model', 'set', model, '--json')
    expect(set.code).toBe(0)
    const info = JSON.parse(set.out) as { modelId: string; dim: number }
    expect(info.dim).toBe(8)

    expect((await vam(...catalog, 'import', photos)).code).toBe(0)
    expect((await vam(...catalog, 'run', 'clip', '--no-progress')).code).toBe(0)

    const shown = await vam(...catalog, 'model', 'show')
    expect(shown.out).toMatch(new RegExp(`id\\s+${info.modelId}`))
    expect(shown.out).toMatch(/embedded\s+3 of 3 photos/)

    const search = await vam(
      ...catalog,
      'search',
      'a',
      'photo',
      'of',
      'blue',
      '--limit',
      '2',
      '--json',
    )
    expect(search.code).toBe(0)
    const result = JSON.parse(search.out) as { hits: { photo: { name: string }; score: number }[] }
    expect(result.hits).toHaveLength(2)
    expect(result.hits[0]?.photo.name).toBe('blue.png')

    const text = await vam(...catalog, 'search', 'red', '--limit', '1')
    expect(text.out).toMatch(/^[01]\.\d{3} {2}#\d+ {2}.*red\.png/m)

    const filtered = await vam(...catalog, 'search', 'red', '--name', 'grey', '--json')
    expect(
      (JSON.parse(filtered.out) as { hits: { photo: { name: string } }[] }).hits.map(
        (h) => h.photo.name,
      ),
    ).toEqual(['grey.png'])

    const tooMany = await vam(...catalog, 'search', 'red', '--limit', '5000')
    expect(tooMany.code).toBe(2)

    const similar = await vam(...catalog, 'similar', '1', '--json')
    expect((JSON.parse(similar.out) as { hits: unknown[] }).hits).toHaveLength(2)

    const added = await vam(
      ...catalog,
      'tags',
      'add',
      'colours',
      'red',
      'blue',
      '--template',
      'a {tag} picture',
    )
    expect(added.code).toBe(0)
    expect(added.out).toMatch(/colours \["a \{tag\} picture"\]: red \(\d+\), blue \(\d+\)/)
    const removed = await vam(...catalog, 'tags', 'remove', 'red', 'blue', '--json')
    const taxonomy = (JSON.parse(removed.out) as { taxonomy: { categories: { name: string }[] } })
      .taxonomy
    expect(taxonomy.categories.map((c) => c.name)).not.toContain('colours')

    const file = path.join(dir, 'taxonomy.json')
    writeFileSync(
      file,
      JSON.stringify({
        template: 'a photo of {tag}',
        minConfidence: 0.2,
        categories: [{ name: 'colour', tags: ['red', 'blue'] }],
      }),
    )
    const replaced = await vam(...catalog, 'tags', 'set', file, '--json')
    expect(
      (JSON.parse(replaced.out) as { counts: { tag: string; count: number }[] }).counts,
    ).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ tag: 'red' }),
        expect.objectContaining({ tag: 'blue' }),
      ]),
    )
    const byTag = await vam(...catalog, 'search', 'photo', '--tag', 'red', '--json')
    expect(
      (JSON.parse(byTag.out) as { hits: { photo: { name: string } }[] }).hits.map(
        (h) => h.photo.name,
      ),
    ).toContain('red.png')

    writeFileSync(
      file,
      JSON.stringify({ template: 'no placeholder', minConfidence: 0.2, categories: [] }),
    )
    const invalid = await vam(...catalog, 'tags', 'set', file)
    expect(invalid.code).toBe(2)
    expect(invalid.err).toMatch(/template: the template must contain \{tag\}/)
  })
})
