import { opendir, stat } from 'node:fs/promises'
import type { Dirent, Stats } from 'node:fs'
import path from 'node:path'

/**
 * Streaming directory walk for import. Never holds a whole listing: one directory's entries at a
 * time (sorted, so the walk order is deterministic and a resume cursor can be compared), and a
 * stack of directories still to visit.
 *
 * - Hidden entries (leading dot) and system junk (Thumbs.db, @eaDir, $RECYCLE.BIN, …) are skipped.
 * - Symlinked directories are followed, but every directory is entered at most once by
 *   (dev, ino): loops (a link to an ancestor) and diamonds terminate. Symlinked files are yielded
 *   under their link path.
 * - Unreadable directories are reported through `onError` and skipped; the walk goes on.
 */

/** Names skipped anywhere in the tree (compared case-insensitively). */
const JUNK_NAMES = new Set(
  [
    'thumbs.db',
    'ehthumbs.db',
    'desktop.ini',
    'icon\r',
    '@eadir',
    '$recycle.bin',
    'recycler',
    'system volume information',
    'lost+found',
    '.thumbnails',
    '__macosx',
    '#recycle',
    '#snapshot',
  ].map((n) => n.toLowerCase()),
)

export function isSkippedName(name: string): boolean {
  return name.startsWith('.') || JUNK_NAMES.has(name.toLowerCase())
}

/** One file found by the walk. */
export interface WalkedFile {
  readonly path: string
  readonly name: string
  readonly folder: string
  readonly stats: Stats
}

export interface WalkOptions {
  /** Called for directories/files that cannot be read (the walk continues). */
  readonly onError?: (path: string, error: NodeJS.ErrnoException) => void
  /** Return false to skip a file before it is stat'ed (e.g. ignored extensions). */
  readonly acceptName?: (name: string) => boolean
  /** Stop early (cancel). */
  readonly signal?: AbortSignal
  /**
   * Absolute directories never entered (the catalog's own cache, backups and quarantine, so a
   * catalog kept inside the photo folder does not import its own thumbnails).
   */
  readonly skipDirs?: ReadonlySet<string>
}

/**
 * Walk order, as a comparator of paths: directories are walked depth-first with entries sorted by
 * code unit, files and sub-directories interleaved by name. So `compareWalkOrder(a, b) < 0` iff
 * `a` is yielded before `b` in a walk of the same tree.
 */
export function compareWalkOrder(a: string, b: string): number {
  const pa = a.split(path.sep)
  const pb = b.split(path.sep)
  const n = Math.min(pa.length, pb.length)
  for (let i = 0; i < n; i++) {
    const x = pa[i] as string
    const y = pb[i] as string
    if (x !== y) return x < y ? -1 : 1
  }
  return pa.length - pb.length
}

/** Yields every regular file under `root` (see the module comment). */
export async function* walkFiles(
  root: string,
  options: WalkOptions = {},
): AsyncGenerator<WalkedFile> {
  const visited = new Set<string>()
  const rootStats = await stat(root)
  if (!rootStats.isDirectory()) throw new Error(`${root} is not a folder`)
  visited.add(`${rootStats.dev}:${rootStats.ino}`)
  yield* walkDir(path.resolve(root), visited, options)
}

async function* walkDir(
  dir: string,
  visited: Set<string>,
  options: WalkOptions,
): AsyncGenerator<WalkedFile> {
  if (options.signal?.aborted) return
  let names: { name: string; kind: 'file' | 'dir' | 'link' | 'other' }[]
  try {
    names = await readEntries(dir)
  } catch (error) {
    options.onError?.(dir, error as NodeJS.ErrnoException)
    return
  }
  // Code-unit order, the same order compareWalkOrder uses.
  names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  for (const entry of names) {
    if (options.signal?.aborted) return
    const full = path.join(dir, entry.name)
    if (entry.kind === 'other') continue
    if (entry.kind === 'file' && options.acceptName && !options.acceptName(entry.name)) continue
    let stats: Stats
    try {
      // stat (not lstat): follows symlinks so a link to a file is imported and a link to a
      // directory is walked.
      stats = await stat(full)
    } catch (error) {
      // A dangling symlink or a file removed mid-walk: reported, not fatal.
      options.onError?.(full, error as NodeJS.ErrnoException)
      continue
    }
    if (stats.isDirectory()) {
      if (options.skipDirs?.has(full)) continue
      const key = `${stats.dev}:${stats.ino}`
      if (visited.has(key)) continue
      visited.add(key)
      yield* walkDir(full, visited, options)
    } else if (stats.isFile()) {
      if (entry.kind === 'link' && options.acceptName && !options.acceptName(entry.name)) continue
      yield { path: full, name: entry.name, folder: dir, stats }
    }
  }
}

/**
 * One directory's entry names. Only this one directory is in memory: the walk is depth-first, so
 * memory is bounded by the depth times the largest directory, never the whole tree.
 */
async function readEntries(
  dir: string,
): Promise<{ name: string; kind: 'file' | 'dir' | 'link' | 'other' }[]> {
  const out: { name: string; kind: 'file' | 'dir' | 'link' | 'other' }[] = []
  const handle = await opendir(dir, { bufferSize: 256 })
  for await (const entry of handle) {
    if (isSkippedName(entry.name)) continue
    out.push({ name: entry.name, kind: kindOf(entry) })
  }
  return out
}

function kindOf(entry: Dirent): 'file' | 'dir' | 'link' | 'other' {
  if (entry.isFile()) return 'file'
  if (entry.isDirectory()) return 'dir'
  if (entry.isSymbolicLink()) return 'link'
  // Filesystems that do not report types (some network mounts) give 'unknown': stat decides.
  if (
    !entry.isFIFO() &&
    !entry.isSocket() &&
    !entry.isBlockDevice() &&
    !entry.isCharacterDevice()
  ) {
    return 'link'
  }
  return 'other'
}
