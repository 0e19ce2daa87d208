import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'

/**
 * Which of many files exist, fast: 100k photos have ~200k thumbnail files, and 200k `stat` calls
 * take seconds. Thumbnails live in a few hundred shard folders, so we list each folder once
 * (`readdir`) and look names up in a Set; listings are cached by the folder's mtime — adding or
 * removing a file changes it — so a second report re-lists only the folders that changed.
 */

interface Listing {
  readonly mtimeMs: number
  readonly names: ReadonlySet<string>
}

/**
 * Filesystems with coarse timestamps (FAT: 2 s, HFS+: 1 s) could change a folder twice within one
 * mtime tick; a listing whose folder changed this recently is used once but not cached.
 */
const SETTLE_MS = 2000

export class FilePresence {
  private readonly listings = new Map<string, Listing>()

  constructor(
    private readonly concurrency = 16,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Returns the subset of `files` (absolute paths) that do not exist. Folders are listed with
   * bounded concurrency so a cold cache of many shards does not open hundreds of handles at once.
   */
  async missing(files: Iterable<string>): Promise<Set<string>> {
    const byDir = new Map<string, string[]>()
    for (const file of files) {
      const dir = path.dirname(file)
      let names = byDir.get(dir)
      if (!names) {
        names = []
        byDir.set(dir, names)
      }
      names.push(path.basename(file))
    }
    const missing = new Set<string>()
    const dirs = [...byDir.keys()]
    let next = 0
    const work = async () => {
      while (next < dirs.length) {
        const dir = dirs[next++] as string
        const present = await this.list(dir)
        for (const name of byDir.get(dir) ?? []) {
          if (!present.has(name)) missing.add(path.join(dir, name))
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(this.concurrency, dirs.length) }, work))
    return missing
  }

  /** Forgets every listing (tests; or after the cache folder was replaced wholesale). */
  clear(): void {
    this.listings.clear()
  }

  private async list(dir: string): Promise<ReadonlySet<string>> {
    let mtimeMs: number
    try {
      mtimeMs = (await stat(dir)).mtimeMs
    } catch {
      this.listings.delete(dir)
      return new Set()
    }
    const cached = this.listings.get(dir)
    if (cached && cached.mtimeMs === mtimeMs) return cached.names
    let names: Set<string>
    try {
      names = new Set(await readdir(dir))
    } catch {
      this.listings.delete(dir)
      return new Set()
    }
    if (this.now() - mtimeMs > SETTLE_MS) this.listings.set(dir, { mtimeMs, names })
    else this.listings.delete(dir)
    return names
  }
}
