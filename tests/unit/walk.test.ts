import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { compareWalkOrder, isSkippedName, walkFiles } from '../../src/core/media/walk'
import { useTempDirs } from '../helpers/temp-dir'

const tempDir = useTempDirs()

async function collect(root: string): Promise<string[]> {
  const out: string[] = []
  for await (const file of walkFiles(root)) out.push(path.relative(root, file.path))
  return out
}

describe(walkFiles.name, () => {
  it('walks depth-first in a deterministic order, skipping hidden and junk entries', async () => {
    const root = tempDir()
    for (const dir of ['b', 'a/z', 'a/y', '.hidden', '@eaDir', '$RECYCLE.BIN', 'c']) {
      mkdirSync(path.join(root, dir), { recursive: true })
    }
    for (const file of [
      'b/2.jpg',
      'b/1.jpg',
      'a/z/x.jpg',
      'a/y/x.jpg',
      'a/0.jpg',
      'top.jpg',
      '.DS_Store',
      '.hidden/h.jpg',
      '@eaDir/t.jpg',
      '$RECYCLE.BIN/r.jpg',
      'Thumbs.db',
      'c/.x.jpg',
    ]) {
      writeFileSync(path.join(root, file), 'x')
    }
    const files = await collect(root)
    expect(files).toEqual(['a/0.jpg', 'a/y/x.jpg', 'a/z/x.jpg', 'b/1.jpg', 'b/2.jpg', 'top.jpg'])
    // The resume cursor relies on this: the comparator orders paths exactly as the walk yields them.
    const absolute = files.map((f) => path.join(root, f))
    expect([...absolute].sort(compareWalkOrder)).toEqual(absolute)
    expect(
      compareWalkOrder(path.join(root, 'a/z/x.jpg'), path.join(root, 'a/0.jpg')),
    ).toBeGreaterThan(0)
  })

  it('survives symlink loops and enters each directory once', async () => {
    const root = tempDir()
    mkdirSync(path.join(root, 'photos', 'sub'), { recursive: true })
    writeFileSync(path.join(root, 'photos', 'sub', 'a.jpg'), 'x')
    symlinkSync(root, path.join(root, 'photos', 'sub', 'loop'))
    symlinkSync(path.join(root, 'photos'), path.join(root, 'again'))
    symlinkSync(path.join(root, 'nowhere'), path.join(root, 'dangling.jpg'))
    const errors: string[] = []
    const files: string[] = []
    for await (const f of walkFiles(root, {
      onError: (p, e) => errors.push(`${path.basename(p)}:${e.code}`),
    })) {
      files.push(path.relative(root, f.path))
    }
    // 'again' (a link to photos) sorts first, so the tree is reached through it, once.
    expect(files).toEqual(['again/sub/a.jpg'])
    expect(errors).toEqual(['dangling.jpg:ENOENT'])
  })

  it('never enters the catalog folders', async () => {
    const root = tempDir()
    mkdirSync(path.join(root, 'catalog.cache', 'ab'), { recursive: true })
    writeFileSync(path.join(root, 'catalog.cache', 'ab', 'thumb.jpg'), 'x')
    writeFileSync(path.join(root, 'photo.jpg'), 'x')
    const files: string[] = []
    for await (const f of walkFiles(root, {
      skipDirs: new Set([path.join(root, 'catalog.cache')]),
    })) {
      files.push(path.relative(root, f.path))
    }
    expect(files).toEqual(['photo.jpg'])
  })

  it('names hidden and system entries', () => {
    expect(isSkippedName('.git')).toBe(true)
    expect(isSkippedName('@eaDir')).toBe(true)
    expect(isSkippedName('THUMBS.DB')).toBe(true)
    expect(isSkippedName('IMG_0001.JPG')).toBe(false)
  })
})
