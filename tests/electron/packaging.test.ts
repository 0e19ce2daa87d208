import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

// electron-builder cannot run here (it downloads Electron), but its configuration schema ships
// with it: validate electron-builder.yml against it, and check what the app needs from it.

const require = createRequire(import.meta.url)
const yaml = require('js-yaml') as { load(text: string): unknown }
const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  validateConfiguration(config: unknown, logger: unknown): Promise<void>
}
const { DebugLogger } = require('builder-util') as {
  DebugLogger: new (enabled: boolean) => unknown
}

interface BuilderConfig {
  productName: string
  files: string[]
  asarUnpack: string[]
  extraResources: { from: string; to: string }[]
  npmRebuild: boolean
  electronFuses: Record<string, boolean>
  linux: { target: string[] }
  mac: { target: string[] }
  win: { target: string[] }
}

const config = yaml.load(
  readFileSync(path.resolve('electron-builder.yml'), 'utf8'),
) as BuilderConfig
const pkg = JSON.parse(readFileSync(path.resolve('package.json'), 'utf8')) as {
  main: string
  dependencies: Record<string, string>
}

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema (and the schema does reject junk)", async () => {
    await expect(
      validateConfiguration(structuredClone(config), new DebugLogger(false)),
    ).resolves.toBeUndefined()
    await expect(
      validateConfiguration(
        { ...structuredClone(config), notAnOption: true },
        new DebugLogger(false),
      ),
    ).rejects.toThrow(/configuration/)
  })

  it('builds AppImage + deb, dmg and nsis for "VAM Desktop"', () => {
    expect(config.productName).toBe('VAM Desktop')
    expect(config.linux.target).toEqual(['AppImage', 'deb'])
    expect(config.mac.target).toEqual(['dmg'])
    expect(config.win.target).toEqual(['nsis'])
  })

  it('unpacks every native module from the asar and rebuilds for Electron', () => {
    for (const native of ['better-sqlite3', 'sharp', 'onnxruntime-node']) {
      expect(pkg.dependencies[native], `${native} is a runtime dependency`).toBeDefined()
      expect(config.asarUnpack).toContain(`node_modules/${native}/**`)
    }
    expect(config.asarUnpack).toContain('node_modules/@img/**')
    expect(config.npmRebuild).toBe(true)
  })

  it('ships the bundles that package.json "main" points at, and resources/', () => {
    expect(pkg.main).toBe('./out/main/index.js')
    expect(config.files).toContain('out/**/*')
    expect(config.extraResources).toContainEqual(
      expect.objectContaining({ from: 'resources/', to: 'resources/' }),
    )
  })

  it('flips the fuses the app does not need (security checklist 19)', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    })
  })
})
