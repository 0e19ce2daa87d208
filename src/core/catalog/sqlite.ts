import Database from 'better-sqlite3'
import type { Database as Db, Options } from 'better-sqlite3'

/**
 * better-sqlite3 is a classic native addon, built for one ABI: Node's (tests, CLI, web host) or
 * Electron's (the desktop app). A host that runs under a different ABI than node_modules was built
 * for (Electron in development) points every connection at its own build of the addon here.
 */
let nativeBinding: string | undefined

export function setSqliteNativeBinding(path: string | undefined): void {
  nativeBinding = path
}

/** Every connection of the app opens through here, so the binding choice applies to all. */
export function openDatabase(file: string, options: Options = {}): Db {
  return new Database(file, nativeBinding ? { ...options, nativeBinding } : options)
}
