import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { inspectModel } from '../../src/core/clip/model-manager'
import { decodeOnce } from '../../src/core/media/decode'
import { clipEmbedTask, embedDecodedImage } from '../../src/core/tasks/clip-embed.task'

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'photos')
const TINY = path.join(import.meta.dirname, '..', 'fixtures', 'clip-tiny')

describe(clipEmbedTask.name, () => {
  it('embeds a batch in-process, reporting each photo that cannot be read', async () => {
    const model = await inspectModel(TINY)
    const out = await clipEmbedTask({
      model,
      threads: 1,
      items: [
        { photoId: 1, preview: null, path: path.join(FIXTURES, 'kde_Kite.jpg'), format: 'jpeg' },
        {
          photoId: 2,
          preview: '/nonexistent/preview.jpg',
          path: path.join(FIXTURES, 'skimage_coffee.png'),
          format: 'png',
        },
        { photoId: 3, preview: null, path: path.join(FIXTURES, 'missing.jpg'), format: 'jpeg' },
      ],
    })
    const byId = new Map(out.results.map((r) => [r.photoId, r]))
    expect(byId.get(1)).toMatchObject({ ok: true, source: 'original' })
    // A vanished preview falls back to the original.
    expect(byId.get(2)).toMatchObject({ ok: true, source: 'original' })
    expect(byId.get(3)).toMatchObject({ ok: false, code: 'vanished' })
    const vector = (byId.get(1) as { vector: Float32Array }).vector
    expect(vector).toHaveLength(8)
    expect(vector.reduce((s, x) => s + x * x, 0)).toBeCloseTo(1, 5)
  })
})

describe(embedDecodedImage.name, () => {
  it('gives the decode-once pipeline the same vector as the clip job, from its own decoded pixels', async () => {
    const model = await inspectModel(TINY)
    const file = path.join(FIXTURES, 'mate_Dune.jpg')
    const decoded = await decodeOnce({ path: file, format: 'jpeg' })
    const fromDecoded = await embedDecodedImage(model, 1, decoded)
    const { results } = await clipEmbedTask({
      model,
      threads: 1,
      items: [{ photoId: 1, preview: null, path: file, format: 'jpeg' }],
    })
    const fromJob = (results[0] as { vector: Float32Array }).vector
    Array.from(fromDecoded).forEach((v, i) => expect(v).toBeCloseTo(fromJob[i] as number, 5))
  })
})
