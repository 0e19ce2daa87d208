import { accessSync, constants } from 'node:fs'
import path from 'node:path'

/**
 * Whether ffmpeg is installed ($VAM_FFMPEG or PATH), so `needs_ffmpeg` items are worth retrying.
 * A lookup of our own: the decoder's helper lives beside sharp, which health and the main process
 * have no reason to load.
 */
export function ffmpegAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
  const candidates = env.VAM_FFMPEG
    ? [env.VAM_FFMPEG]
    : (env.PATH ?? '')
        .split(path.delimiter)
        .filter(Boolean)
        .map((dir) => path.join(dir, process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg'))
  return candidates.some((candidate) => {
    try {
      accessSync(candidate, constants.X_OK)
      return true
    } catch {
      return false
    }
  })
}
