import { describe, expect, it } from 'vitest'
import type { Taxonomy } from '../../src/shared/contract/search'
import { TaxonomySchema } from '../../src/shared/contract/search'
import {
  DEFAULT_TAXONOMY,
  promptsOf,
  tagImages,
  tagsFromSimilarities,
  taxonomyKey,
} from '../../src/core/clip/tags'
import { matrixFromRows } from '../../src/core/clip/vector-search'

const taxonomy: Taxonomy = {
  template: 'a photo of {tag}',
  minConfidence: 0.3,
  categories: [
    { name: 'subjects', template: 'a photo of a {tag}', tags: ['dog', 'cat', 'dog'] },
    { name: 'light', tags: ['night', 'daylight'] },
  ],
}

describe(promptsOf.name, () => {
  it('fills the category template (or the taxonomy one) and drops duplicate tags', () => {
    expect(promptsOf(taxonomy)).toEqual([
      { category: 'subjects', tag: 'dog', prompt: 'a photo of a dog' },
      { category: 'subjects', tag: 'cat', prompt: 'a photo of a cat' },
      { category: 'light', tag: 'night', prompt: 'a photo of night' },
      { category: 'light', tag: 'daylight', prompt: 'a photo of daylight' },
    ])
  })

  it('keys taxonomies by their prompts', () => {
    expect(taxonomyKey(taxonomy)).toBe(taxonomyKey({ ...taxonomy, minConfidence: 0.9 }))
    expect(taxonomyKey(taxonomy)).not.toBe(taxonomyKey(DEFAULT_TAXONOMY))
  })

  it('ships a default taxonomy the contract accepts', () => {
    expect(TaxonomySchema.safeParse(DEFAULT_TAXONOMY).success).toBe(true)
    expect(TaxonomySchema.safeParse({ ...taxonomy, template: 'no placeholder' }).success).toBe(
      false,
    )
  })
})

describe(tagsFromSimilarities.name, () => {
  const prompts = promptsOf(taxonomy)

  it('applies a softmax per category with the logit scale', () => {
    // dog 0.30 vs cat 0.28: with scale 100, p(dog) = 1 / (1 + e^-2) ≈ 0.881
    const tags = tagsFromSimilarities([0.3, 0.28, 0.2, 0.2], prompts, 0.3, 100)
    expect(tags).toEqual([
      { tag: 'dog', category: 'subjects', confidence: expect.closeTo(1 / (1 + Math.exp(-2)), 6) },
      { tag: 'night', category: 'light', confidence: expect.closeTo(0.5, 6) },
      { tag: 'daylight', category: 'light', confidence: expect.closeTo(0.5, 6) },
    ])
  })

  it('drops tags below the minimum confidence', () => {
    const tags = tagsFromSimilarities([0.3, 0.28, 0.2, 0.2], prompts, 0.6, 100)
    expect(tags.map((t) => t.tag)).toEqual(['dog'])
  })

  it('stays finite for large logits', () => {
    const tags = tagsFromSimilarities([1, -1, 1, 1], prompts, 0.1, 1000)
    expect(tags.every((t) => Number.isFinite(t.confidence))).toBe(true)
  })
})

describe(tagImages.name, () => {
  it('tags every image from prompt vectors', () => {
    const prompts = promptsOf(taxonomy)
    // Orthogonal prompt directions: image 1 is "dog at night", image 2 "cat in daylight".
    const e = (i: number) => Float32Array.from({ length: 4 }, (_, d) => (d === i ? 1 : 0))
    const promptMatrix = matrixFromRows(
      4,
      prompts.map((_, i) => ({ id: i, vector: e(i) })),
    )
    const mix = (a: number, b: number) =>
      Float32Array.from({ length: 4 }, (_, d) => (d === a || d === b ? Math.SQRT1_2 : 0))
    const images = matrixFromRows(4, [
      { id: 11, vector: mix(0, 2) },
      { id: 12, vector: mix(1, 3) },
    ])
    const tagged = tagImages(images, promptMatrix, prompts, 0.5, 100)
    expect(tagged.map((t) => [t.id, t.tags.map((x) => x.tag)])).toEqual([
      [11, ['dog', 'night']],
      [12, ['cat', 'daylight']],
    ])
  })
})
