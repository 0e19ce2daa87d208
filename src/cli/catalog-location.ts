import os from 'node:os'
import path from 'node:path'

/**
 * The default catalog: the same folder Electron's `app.getPath('userData')` uses for an app named
 * "VAM Desktop", so the CLI and the desktop app share one catalog unless told otherwise.
 */
export function defaultCatalogPath(env = process.env, platform = process.platform): string {
  const home = os.homedir()
  const appData =
    platform === 'win32'
      ? (env.APPDATA ?? path.join(home, 'AppData', 'Roaming'))
      : platform === 'darwin'
        ? path.join(home, 'Library', 'Application Support')
        : (env.XDG_CONFIG_HOME ?? path.join(home, '.config'))
  return path.join(appData, 'VAM Desktop', 'catalog.sqlite')
}

export function resolveCatalogPath(option: string | undefined, env = process.env): string {
  return path.resolve(option ?? env.VAM_CATALOG ?? defaultCatalogPath(env))
}
