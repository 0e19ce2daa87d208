import { mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { FilePresence } from '../../src/core/health/file-presence'
import { useTempDirs } from '../helpers/temp-dir'

const tempDir = useTempDirs()

describe(FilePresence.name, () => {
  it('finds missing files by folder listing, and re-lists a folder when its mtime changes', async () => {
    const dir = tempDir()
    const files: string[] = []
    for (const shard of ['00', '01', 'ff']) {
      mkdirSync(path.join(dir, shard))
      for (let i = 0; i < 5; i++) {
        const file = path.join(dir, shard, `${i}-256.webp`)
        writeFileSync(file, 'x')
        files.push(file)
      }
    }
    const old = new Date(Date.now() - 60_000)
    for (const shard of ['00', '01', 'ff']) utimesSync(path.join(dir, shard), old, old)
    const ghost = path.join(dir, 'gone', 'never.webp')
    const presence = new FilePresence(2)
    expect(await presence.missing([...files, ghost])).toEqual(new Set([ghost]))

    // Deleting a file changes its folder's mtime: the cached listing is not trusted any more.
    rmSync(files[6] as string)
    expect(await presence.missing(files)).toEqual(new Set([files[6]]))
    // A folder changed within the last seconds is listed but not cached (coarse-mtime file
    // systems); a later change is still seen.
    rmSync(files[7] as string)
    expect(await presence.missing(files)).toEqual(new Set([files[6], files[7]]))
    rmSync(path.join(dir, 'ff'), { recursive: true })
    expect((await presence.missing(files)).size).toBe(7)
  })
})
