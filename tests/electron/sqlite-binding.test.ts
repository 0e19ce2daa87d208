import { describe, expect, it } from 'vitest'
import { electronSqliteBinding } from '../../src/main/sqlite-binding'

const base = {
  appPath: '/repo',
  electronVersion: '45.5.0',
  platform: 'linux',
  arch: 'x64',
  env: {},
}

describe(electronSqliteBinding.name, () => {
  it('uses the Electron build from .cache in development when it exists', () => {
    expect(electronSqliteBinding({ ...base, isPackaged: false, exists: () => true })).toBe(
      '/repo/.cache/electron-native/better_sqlite3-electron-45.5.0-linux-x64.node',
    )
  })

  it('falls back to node_modules when there is none, and always in a packaged app', () => {
    expect(electronSqliteBinding({ ...base, isPackaged: false, exists: () => false })).toBeUndefined()
    expect(electronSqliteBinding({ ...base, isPackaged: true, exists: () => true })).toBeUndefined()
  })

  it('honours VAM_SQLITE_BINDING first', () => {
    expect(
      electronSqliteBinding({ ...base, isPackaged: true, env: { VAM_SQLITE_BINDING: '/x.node' } }),
    ).toBe('/x.node')
  })
})
