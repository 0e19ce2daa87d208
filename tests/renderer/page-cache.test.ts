import { describe, expect, it } from 'vitest'
import { PageCache } from '../../src/renderer/features/library/page-cache'
import type { PhotoSummary } from '../../src/shared/photos'

const items = (from: number, n: number): PhotoSummary[] =>
  Array.from({ length: n }, (_, i) => ({
    id: from + i + 1,
    path: `/p/${from + i}.jpg`,
    name: `${from + i}.jpg`,
    folder: '/p',
    format: 'jpeg',
    width: 1,
    height: 1,
    size: 1,
    takenAt: null,
    missing: false,
  }))

describe(PageCache.name, () => {
  it('fetches only the pages covering a range, once', () => {
    const sut = new PageCache('q', 10, 5)
    expect(sut.pagesToFetch(0, 25)).toEqual([0, 1, 2])
    const g = sut.markPending(0)
    sut.markPending(1)
    expect(sut.pagesToFetch(0, 25)).toEqual([2])
    sut.store(0, items(0, 10), 1000, g)
    expect(sut.get(3)?.id).toBe(4)
    expect(sut.get(13)).toBeUndefined()
    expect(sut.total).toBe(1000)
  })

  it('never asks for pages past the total', () => {
    const sut = new PageCache('q', 10, 5)
    sut.store(0, items(0, 10), 15, sut.markPending(0))
    expect(sut.pagesToFetch(0, 100)).toEqual([1])
  })

  it('keeps stale pages visible after invalidate and refetches them', () => {
    const sut = new PageCache('q', 10, 5)
    sut.store(0, items(0, 10), 10, sut.markPending(0))
    sut.invalidate()
    expect(sut.get(0)?.id).toBe(1)
    expect(sut.pagesToFetch(0, 9)).toEqual([0])
    const g = sut.markPending(0)
    sut.store(0, items(100, 10), 12, g)
    expect(sut.get(0)?.id).toBe(101)
    expect(sut.total).toBe(12)
  })

  it('ignores a late response from before an invalidation when a fresher page exists', () => {
    const sut = new PageCache('q', 10, 5)
    const old = sut.markPending(0)
    sut.invalidate()
    const fresh = sut.markPending(0)
    sut.store(0, items(500, 10), 20, fresh)
    sut.store(0, items(0, 10), 10, old)
    expect(sut.get(0)?.id).toBe(501)
    expect(sut.total).toBe(20)
  })

  it('holds at most maxPages pages, dropping the least recently used', () => {
    const sut = new PageCache('q', 10, 3)
    for (let p = 0; p < 3; p++) sut.store(p, items(p * 10, 10), 1000, sut.markPending(p))
    sut.touch(0)
    sut.store(3, items(30, 10), 1000, sut.markPending(3))
    expect(sut.loadedPages).toBe(3)
    expect(sut.get(0)).toBeDefined()
    expect(sut.get(10)).toBeUndefined()
  })

  it('retries a failed page', () => {
    const sut = new PageCache('q', 10, 3)
    const g = sut.markPending(0)
    expect(sut.pagesToFetch(0, 5)).toEqual([])
    sut.failed(0, g)
    expect(sut.pagesToFetch(0, 5)).toEqual([0])
  })
})
