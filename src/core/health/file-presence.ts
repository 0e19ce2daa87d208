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
    // lastIndexOf + slice rather than path.dirname/basename: this runs for 200k files.
    // Folder → the files (as given) in it.
    const byDir = new Map<string, string[]>()
    let lastDir = ''
    let lastNames: string[] = []
    for (const file of files) {
      const cut = Math.max(file.lastIndexOf('/'), path.sep === '\\' ? file.lastIndexOf('\\') : -1)
      const dir = cut <= 0 ? path.dirname(file) : file.slice(0, cut)
      if (dir !== lastDir || byDir.size === 0) {
        let names = byDir.get(dir)
        if (!names) {
          names = []
          byDir.set(dir, names)
        }
        lastDir = dir
        lastNames = names
      }
      lastNames.push(file)
    }
    const missing = new Set<string>()
    const dirs = [...byDir.keys()]
    let next = 0
    const work = async () => {
      while (next < dirs.length) {
        const dir = dirs[next++] as string
        const present = await this.list(dir)
        // A root folder ('/', 'C:\\') already ends with its separator.
        const skip = /[\\/]$/.test(dir) ? dir.length : dir.length + 1
        for (const file of byDir.get(dir) ?? []) {
          if (!present.has(file.slice(skip))) missing.add(file)
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
