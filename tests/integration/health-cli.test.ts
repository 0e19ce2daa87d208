import { copyFileSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { vam } from '../helpers/run-cli'
import { useTempDirs } from '../helpers/temp-dir'

const FIXTURES = path.resolve('tests/fixtures/photos')
const tempDir = useTempDirs()

describe('vam health / vam plan', () => {
  it('reports, plans, runs the plan and reports again, as text, JSON and Markdown', async () => {
    const dir = tempDir()
    const lib = path.join(dir, 'lib')
    mkdirSync(lib)
    for (const name of ['kde_ColorfulCups.jpg', 'skimage_coffee.png', 'skimage_chelsea.png']) {
      copyFileSync(path.join(FIXTURES, name), path.join(lib, name))
    }
    const catalog = path.join(dir, 'catalog.sqlite')
    const at = ['--catalog', catalog, '--no-progress']
    expect((await vam(...at, 'import', lib)).code).toBe(0)

    const text = await vam(...at, 'health')
    expect(text.code).toBe(0)
    expect(text.out).toMatch(/✗ Thumbnails +0% +0\/3 +missing 3: never processed 3/)
    expect(text.out).toContain('plan        verify → analyze → duplicates → bursts')

    const json = JSON.parse((await vam(...at, 'plan', '--json')).out) as {
      steps: { kind: string }[]
    }
    expect(json.steps.map((s) => s.kind)).toEqual(['verify', 'analyze', 'duplicates', 'bursts'])
    expect((await vam(...at, 'plan', '--parallel')).code).toBe(2)

    const run = await vam(...at, 'plan', '--run')
    expect(run.code).toBe(0)
    expect(run.out).toMatch(/job \d+ \(verify\) completed/)
    expect(run.out).toContain('✓ Thumbnails          100%')
    expect(run.out).toContain('plan        nothing to run')

    const md = await vam(...at, 'health', '--markdown', '--folder', lib)
    expect(md.out.startsWith('# Catalog Health & Recovery Plan')).toBe(true)
    expect(md.out).toContain(`**Scope:** folder \`${lib}\``)
    expect(md.out).toContain('Nothing to run: no job would change anything now.')
  })
})
