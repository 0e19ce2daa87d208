import { describe, expect, it } from 'vitest'
import { UsageError, parseArgs, requiredPositional } from '../../src/cli/args'
import { jobParamsFromArgs } from '../../src/cli/commands/jobs.command'
import { defaultCatalogPath } from '../../src/cli/catalog-location'
import { findCommand } from '../../src/cli/main'
import { COMMANDS } from '../../src/cli/commands'
import { progressLine } from '../../src/cli/progress'

describe(parseArgs.name, () => {
  it('separates positionals, valued options and boolean flags', () => {
    expect(parseArgs(['import', '--json', '/photos', '--catalog', 'c.sqlite', '--limit=5'])).toEqual({
      positionals: ['import', '/photos'],
      options: { json: true, catalog: 'c.sqlite', limit: '5' },
    })
  })
})

describe(requiredPositional.name, () => {
  it('returns the positional, or throws a usage error with the hint', () => {
    const args = parseArgs(['import', '/photos'])
    expect(requiredPositional(args, 1, 'which folder?')).toBe('/photos')
    expect(() => requiredPositional(args, 2, 'which folder?')).toThrow(UsageError)
    expect(() => requiredPositional(args, 2, 'which folder?')).toThrow('which folder?')
  })
})

describe(findCommand.name, () => {
  it('prefers the longest matching command name', () => {
    expect(findCommand(COMMANDS, ['jobs', 'list'])?.name).toBe('jobs list')
    expect(findCommand(COMMANDS, ['run', 'analyze'])?.name).toBe('run')
    expect(findCommand(COMMANDS, ['nope'])).toBeUndefined()
  })
})

describe(jobParamsFromArgs.name, () => {
  it('maps kebab-case options onto validated job params', () => {
    expect(jobParamsFromArgs('bursts', { 'gap-seconds': '1.5', json: true })).toEqual({
      kind: 'bursts',
      gapSeconds: 1.5,
    })
    expect(jobParamsFromArgs('analyze', { force: true })).toEqual({ kind: 'analyze', force: true })
  })

  it('rejects unknown kinds and out-of-range values with a usage error', () => {
    expect(() => jobParamsFromArgs('explode', {})).toThrow(/bad options for "explode"/)
    expect(() => jobParamsFromArgs('duplicates', { threshold: '99' })).toThrow(/threshold/)
  })
})

describe(defaultCatalogPath.name, () => {
  it('lives in the per-user app-data folder of each platform', () => {
    expect(defaultCatalogPath({ XDG_CONFIG_HOME: '/x' }, 'linux')).toBe('/x/VAM Desktop/catalog.sqlite')
    expect(defaultCatalogPath({ APPDATA: 'C:/Users/a/AppData/Roaming' }, 'win32')).toMatch(
      /AppData[\\/]Roaming[\\/]VAM Desktop[\\/]catalog\.sqlite$/,
    )
    expect(defaultCatalogPath({}, 'darwin')).toMatch(/Library\/Application Support\/VAM Desktop/)
  })
})

describe(progressLine.name, () => {
  it('shows counts, rate and ETA', () => {
    const line = progressLine({
      id: 1, kind: 'import', params: { kind: 'import', root: '/p' }, state: 'running',
      total: 200, done: 90, failed: 5, skipped: 5, rate: 12.5, etaSeconds: 8, currentItem: '/p/a.jpg',
      error: null, dependsOn: [], createdAt: '', startedAt: null, finishedAt: null,
    }, 10)
    expect(line).toBe('[#####-----] 100/200 import running · 90 done 5 skipped 5 failed · 12.5/s ETA 8s /p/a.jpg')
  })
})
