import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'

/*
 * Which catalog the desktop app opens. Default: catalog.sqlite in userData (the same file the CLI
 * uses by default); the user can pick another, remembered in a small JSON beside it — not in the
 * catalog itself, which is exactly what is being chosen.
 */

export const CATALOG_CHOICE_FILE = 'catalog-location.json'
export const DEFAULT_CATALOG_NAME = 'catalog.sqlite'

export type CatalogSource = 'argument' | 'environment' | 'chosen' | 'default'

/** The stored choice, or null when the file is absent, unreadable or not what we wrote. */
export function parseCatalogChoice(text: string): string | null {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null) return null
  const file = (value as { catalogPath?: unknown }).catalogPath
  if (typeof file !== 'string' || file.length === 0 || file.length > 4096) return null
  if (!path.isAbsolute(file) || file.includes('\0')) return null
  return file
}

/** `--catalog=FILE` or `--catalog FILE` among the process arguments. */
export function catalogArgument(argv: readonly string[]): string | null {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === undefined) continue
    if (arg.startsWith('--catalog=')) return arg.slice('--catalog='.length) || null
    if (arg === '--catalog') return argv[i + 1] ?? null
  }
  return null
}

/**
 * The catalog file to open: `--catalog` (tests, power users), then `VAM_CATALOG` (shared with the
 * CLI), then the user's stored choice, then userData/catalog.sqlite.
 */
export function resolveCatalogFile(input: {
  readonly argv: readonly string[]
  readonly env: Readonly<Record<string, string | undefined>>
  readonly userData: string
  readonly chosen: string | null
  readonly cwd: string
}): { readonly file: string; readonly source: CatalogSource } {
  const argument = catalogArgument(input.argv)
  if (argument) return { file: path.resolve(input.cwd, argument), source: 'argument' }
  const fromEnv = input.env.VAM_CATALOG
  if (fromEnv) return { file: path.resolve(input.cwd, fromEnv), source: 'environment' }
  if (input.chosen) return { file: input.chosen, source: 'chosen' }
  return { file: path.join(input.userData, DEFAULT_CATALOG_NAME), source: 'default' }
}

export function readCatalogChoice(userData: string): string | null {
  try {
    return parseCatalogChoice(readFileSync(path.join(userData, CATALOG_CHOICE_FILE), 'utf8'))
  } catch {
    return null
  }
}

/** Remembers a chosen catalog (null forgets it). Written atomically: a crash leaves old or new. */
export function writeCatalogChoice(userData: string, catalogFile: string | null): void {
  const target = path.join(userData, CATALOG_CHOICE_FILE)
  if (catalogFile === null) {
    rmSync(target, { force: true })
    return
  }
  mkdirSync(userData, { recursive: true })
  const temp = `${target}.${process.pid}.tmp`
  writeFileSync(temp, `${JSON.stringify({ catalogPath: path.resolve(catalogFile) }, null, 2)}\n`)
  renameSync(temp, target)
}
