import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeTinyClip } from '../helpers/clip-tiny'

const FIXTURE = path.join(import.meta.dirname, '..', 'fixtures', 'clip-tiny')

function filesOf(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesOf(dir, path.join(prefix, e.name)) : [path.join(prefix, e.name)],
  )
}

describe('tests/fixtures/clip-tiny', () => {
  it('is exactly what scripts/make-clip-tiny.ts generates (the fixture cannot drift from its generator)', () => {
    const fresh = mkdtempSync(path.join(os.tmpdir(), 'vam-clip-tiny-'))
    try {
      writeTinyClip(fresh)
      const committed = filesOf(FIXTURE).sort()
      expect(filesOf(fresh).sort()).toEqual(committed)
      for (const file of committed) {
        expect(
          readFileSync(path.join(FIXTURE, file)).equals(readFileSync(path.join(fresh, file))),
          file,
        ).toBe(true)
      }
    } finally {
      rmSync(fresh, { recursive: true, force: true })
    }
  })
})
