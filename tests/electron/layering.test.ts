import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../helpers/temp-dir'

const tempDir = useTempDirs()
const script = path.resolve('scripts/check-layering.mjs')

/** A throwaway project with the real check script and the given source files. */
function project(files: Record<string, string>): string {
  const root = tempDir()
  mkdirSync(path.join(root, 'scripts'))
  copyFileSync(script, path.join(root, 'scripts', 'check-layering.mjs'))
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true })
    writeFileSync(path.join(root, file), text)
  }
  return root
}

function check(root: string) {
  const run = spawnSync(process.execPath, [path.join(root, 'scripts', 'check-layering.mjs')], {
    encoding: 'utf8',
  })
  return { status: run.status, output: `${run.stdout}${run.stderr}` }
}

const clean = {
  'src/shared/contract/index.ts': "import { z } from 'zod'\nexport const x = z.string()\n",
  'src/core/engine.ts': "import path from 'node:path'\nimport { x } from '../shared/contract'\n",
  'src/main/index.ts':
    "import { app } from 'electron'\nimport w from '../workers/utility-worker?modulePath'\nimport { x } from '../core/engine'\n",
  'src/preload/index.ts':
    "import { contextBridge } from 'electron'\nimport { y } from '../shared/contract/transport'\n",
  'src/workers/utility-worker.ts':
    "import { serveTasks } from './serve-tasks'\nimport { t } from '../core/tasks'\n",
  'src/renderer/main.tsx':
    "import React from 'react'\nimport type { VamClient } from '../shared/contract'\n",
}

describe('scripts/check-layering.mjs', () => {
  it('passes a tree that follows the layering', () => {
    expect(check(project(clean))).toMatchObject({ status: 0 })
  })

  it('passes this repository', () => {
    const run = spawnSync(process.execPath, [script], { encoding: 'utf8' })
    expect(run.status, run.stderr).toBe(0)
  })

  it.each([
    [
      'src/core/trash.ts',
      "import { shell } from 'electron'\n",
      'electron only in src/main, src/preload',
    ],
    ['src/workers/bad-worker.ts', "import { utilityProcess } from 'electron'\n", 'electron only'],
    ['src/shared/fs.ts', "import { readFileSync } from 'node:fs'\n", 'no Node APIs in src/shared'],
    [
      'src/renderer/grid.tsx',
      "import { openEngine } from '../core/engine'\n",
      'src/renderer may not import src/core',
    ],
    ['src/renderer/ipc.ts', "import { ipcRenderer } from 'electron'\n", 'electron only'],
    [
      'src/preload/core.ts',
      "import { openEngine } from '../core/engine'\n",
      'src/preload may not import src/core',
    ],
    ['src/core/ui.ts', "import React from 'react'\n", 'react only in src/renderer'],
    [
      'src/core/reach.ts',
      "export { x } from '../main/index'\n",
      'src/core may not import src/main',
    ],
    ['src/server/e.ts', "const e = await import('electron')\n", 'electron only'],
  ])('fails on a planted violation in %s', (file, text, message) => {
    const result = check(project({ ...clean, [file]: text }))
    expect(result.status).toBe(1)
    expect(result.output).toContain(file)
    expect(result.output).toContain(message)
  })
})
