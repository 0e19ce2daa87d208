import { createHash } from 'node:crypto'
import { constants, createReadStream, realpathSync, statSync } from 'node:fs'
import { copyFile, mkdir, open, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'

/**
 * The only code that moves a user's files. Nothing is ever deleted: a removed file is renamed
 * into the quarantine folder (or handed to the OS trash by the host), and every move can be
 * reversed. Cross-device moves copy, verify the SHA-256 and only then unlink the source.
 */

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** Byte-for-byte comparison (sizes first), streaming 1 MB at a time. */
export async function filesEqual(a: string, b: string): Promise<boolean> {
  const [sa, sb] = await Promise.all([stat(a), stat(b)])
  if (sa.size !== sb.size) return false
  const [fa, fb] = await Promise.all([open(a, 'r'), open(b, 'r')])
  try {
    const size = 1 << 20
    const ba = Buffer.alloc(size)
    const bb = Buffer.alloc(size)
    for (let pos = 0; pos < sa.size; pos += size) {
      const [ra, rb] = await Promise.all([fa.read(ba, 0, size, pos), fb.read(bb, 0, size, pos)])
      if (ra.bytesRead !== rb.bytesRead) return false
      if (!ba.subarray(0, ra.bytesRead).equals(bb.subarray(0, rb.bytesRead))) return false
    }
    return true
  } finally {
    await Promise.all([fa.close(), fb.close()])
  }
}

/**
 * True when two paths are the same file on disk (hard link, symlink, bind mount, a
 * case-insensitive alias): removing one would remove "both". Compares device + inode and the
 * resolved real paths.
 */
export function sameFile(a: string, b: string): boolean {
  try {
    const sa = statSync(a)
    const sb = statSync(b)
    if (sa.dev === sb.dev && sa.ino === sb.ino && sa.ino !== 0) return true
    return realpathSync(a) === realpathSync(b)
  } catch {
    return false
  }
}

/** A regular file that exists now, or null. */
export function fileSize(file: string): number | null {
  try {
    const st = statSync(file)
    return st.isFile() ? st.size : null
  } catch {
    return null
  }
}

/**
 * Where a removed file goes: `<quarantine>/<decision>/<original absolute path without its root>`,
 * so the folder structure is preserved and two decisions never collide.
 */
export function quarantinePathFor(
  quarantineDir: string,
  decisionId: number,
  original: string,
): string {
  const abs = path.resolve(original)
  const root = path.parse(abs).root
  // "C:\\" → "C" on Windows; "/" → "" on POSIX.
  const drive = root.replace(/[:\\/]+/g, '')
  return path.join(quarantineDir, String(decisionId), drive, abs.slice(root.length))
}

/**
 * Moves `from` to `to` (which must not exist). Same device: one rename. Otherwise copy to a
 * partial file, verify it against `sha256`, rename into place, then remove the source.
 */
export async function moveFile(from: string, to: string, sha256: string): Promise<void> {
  await mkdir(path.dirname(to), { recursive: true })
  if (fileSize(to) !== null) throw new Error(`refusing to overwrite ${to}`)
  try {
    await rename(from, to)
    return
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error
  }
  const partial = `${to}.partial`
  await copyFile(from, partial, constants.COPYFILE_EXCL)
  if ((await sha256File(partial)) !== sha256) {
    await rm(partial, { force: true })
    throw new Error(`copy of ${from} did not verify; the original was left in place`)
  }
  await rename(partial, to)
  await rm(from)
}
