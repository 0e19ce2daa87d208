import { existsSync } from 'node:fs'
import path from 'node:path'

/**
 * Which better-sqlite3 addon the desktop app loads. A packaged app has node_modules rebuilt for
 * Electron by electron-builder, so the default applies. In development node_modules holds the
 * Node build (tests, CLI, web host need it), and `npm start`'s prestart step
 * (scripts/ensure-electron-sqlite.mjs) keeps an Electron build beside it in .cache/.
 */
export function electronSqliteBinding(opts: {
  readonly isPackaged: boolean
  readonly appPath: string
  readonly electronVersion: string
  readonly platform: string
  readonly arch: string
  readonly env: Readonly<Record<string, string | undefined>>
  readonly exists?: (file: string) => boolean
}): string | undefined {
  if (opts.env.VAM_SQLITE_BINDING) return opts.env.VAM_SQLITE_BINDING
  if (opts.isPackaged) return undefined
  const file = path.join(
    opts.appPath,
    '.cache',
    'electron-native',
    `better_sqlite3-electron-${opts.electronVersion}-${opts.platform}-${opts.arch}.node`,
  )
  return (opts.exists ?? existsSync)(file) ? file : undefined
}
