import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  CATALOG_CHOICE_FILE,
  catalogArgument,
  parseCatalogChoice,
  readCatalogChoice,
  resolveCatalogFile,
  writeCatalogChoice,
} from '../../src/main/catalog-choice'
import { useTempDirs } from '../helpers/temp-dir'

const tempDir = useTempDirs()

describe(resolveCatalogFile.name, () => {
  const base = {
    argv: ['electron', '.'],
    env: {},
    userData: '/u/VAM Desktop',
    chosen: null,
    cwd: '/work',
  }

  it('defaults to catalog.sqlite in userData', () => {
    expect(resolveCatalogFile(base)).toEqual({
      file: '/u/VAM Desktop/catalog.sqlite',
      source: 'default',
    })
  })

  it('prefers --catalog, then VAM_CATALOG, then the stored choice', () => {
    const all = {
      ...base,
      argv: ['x', '--catalog', 'a.sqlite'],
      env: { VAM_CATALOG: '/e.sqlite' },
      chosen: '/c.sqlite',
    }
    expect(resolveCatalogFile(all)).toEqual({ file: '/work/a.sqlite', source: 'argument' })
    expect(resolveCatalogFile({ ...all, argv: [] })).toEqual({
      file: '/e.sqlite',
      source: 'environment',
    })
    expect(resolveCatalogFile({ ...all, argv: [], env: {} })).toEqual({
      file: '/c.sqlite',
      source: 'chosen',
    })
  })

  it('reads both --catalog forms', () => {
    expect(catalogArgument(['--catalog=/x.sqlite'])).toBe('/x.sqlite')
    expect(catalogArgument(['--catalog', '/y.sqlite'])).toBe('/y.sqlite')
    expect(catalogArgument(['--catalog'])).toBeNull()
    expect(catalogArgument(['--catalog='])).toBeNull()
    expect(catalogArgument(['--catalogue=/z'])).toBeNull()
  })
})

describe(parseCatalogChoice.name, () => {
  it('accepts only what writeCatalogChoice writes: an absolute path', () => {
    expect(parseCatalogChoice('{"catalogPath":"/photos/cat.sqlite"}')).toBe('/photos/cat.sqlite')
    for (const text of [
      '',
      'nope',
      'null',
      '[]',
      '{}',
      '{"catalogPath":""}',
      '{"catalogPath":"rel.sqlite"}',
      '{"catalogPath":42}',
      '{"catalogPath":"/a\\u0000b"}',
      `{"catalogPath":"/${'a'.repeat(5000)}"}`,
    ]) {
      expect(parseCatalogChoice(text), text.slice(0, 40)).toBeNull()
    }
  })
})

describe(writeCatalogChoice.name, () => {
  it('round-trips through the JSON file and forgets on null', () => {
    const userData = path.join(tempDir(), 'VAM Desktop')
    expect(readCatalogChoice(userData)).toBeNull()
    writeCatalogChoice(userData, '/photos/cat.sqlite')
    expect(readCatalogChoice(userData)).toBe('/photos/cat.sqlite')
    expect(JSON.parse(readFileSync(path.join(userData, CATALOG_CHOICE_FILE), 'utf8'))).toEqual({
      catalogPath: '/photos/cat.sqlite',
    })
    writeCatalogChoice(userData, null)
    expect(readCatalogChoice(userData)).toBeNull()
  })

  it('ignores a damaged file', () => {
    const userData = tempDir()
    writeFileSync(path.join(userData, CATALOG_CHOICE_FILE), '{"catalogPath": ')
    expect(readCatalogChoice(userData)).toBeNull()
  })
})
