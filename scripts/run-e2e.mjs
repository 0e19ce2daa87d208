#!/usr/bin/env node
// Runs the Playwright end-to-end specs in e2e/ against the web host in Debian's chromium.
// 1. chromium must exist: installed with apt-get when we are root, else a loud failure (never a
//    silent skip — CI installs it).
// 2. builds the renderer (dist-web/) with vite.web.config.ts.
// 3. runs `playwright test` with e2e/playwright.config.ts; each spec starts `vam serve` on a temp
//    catalog itself (e2e/web-host.fixture.ts).
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const chromium = process.env.VAM_CHROMIUM ?? '/usr/bin/chromium'

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options })
  if (result.error) throw result.error
  return result.status ?? 1
}

const specs = readdirSync(path.join(root, 'e2e')).filter((f) => f.endsWith('.spec.ts'))
if (specs.length === 0) {
  console.error('e2e: no specs in e2e/')
  process.exit(1)
}

if (!existsSync(chromium)) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  if (isRoot) {
    console.log('e2e: chromium missing, installing it with apt-get')
    run('apt-get', ['update'])
    run('apt-get', ['install', '-y', 'chromium'])
  }
  if (!existsSync(chromium)) {
    console.error(
      `e2e: FAILED — no chromium at ${chromium}. Install Debian's chromium (apt-get install -y chromium) ` +
        'or set VAM_CHROMIUM to a Chromium binary. The e2e suite never skips silently.',
    )
    process.exit(1)
  }
}

console.log('e2e: building the renderer (dist-web/)')
if (
  run(process.execPath, [
    path.join(root, 'node_modules/vite/bin/vite.js'),
    'build',
    '--config',
    'vite.web.config.ts',
    '--logLevel',
    'warn',
  ]) !== 0
) {
  console.error('e2e: FAILED — the renderer did not build')
  process.exit(1)
}

const cli = path.join(root, 'node_modules/@playwright/test/cli.js')
const status = run(
  process.execPath,
  [cli, 'test', '-c', 'e2e/playwright.config.ts', ...process.argv.slice(2)],
  {
    env: { ...process.env, TZ: 'UTC' },
  },
)
process.exit(status)
