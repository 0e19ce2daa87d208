#!/usr/bin/env node
// `npm start` prestart: makes sure a better-sqlite3 addon built for Electron's ABI exists in
// .cache/electron-native/, without touching node_modules (whose Node build the tests, the CLI and
// the web host need). The desktop app loads it via better-sqlite3's `nativeBinding` option
// (src/main/sqlite-binding.ts). Needs internet once: Electron's prebuilt addon or its headers.
import { spawnSync } from 'node:child_process'
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const electronPkg = path.join(root, 'node_modules', 'electron', 'package.json')
if (!existsSync(electronPkg)) {
  console.error('npm start: electron is not installed — run `npm install` first')
  process.exit(1)
}
const version = JSON.parse(readFileSync(electronPkg, 'utf8')).version
const { platform, arch } = process
const target = path.join(
  root,
  '.cache',
  'electron-native',
  `better_sqlite3-electron-${version}-${platform}-${arch}.node`,
)
if (existsSync(target)) process.exit(0)

console.log(`npm start: building better-sqlite3 for Electron ${version} (once; needs internet)…`)
const work = mkdtempSync(path.join(os.tmpdir(), 'vam-electron-sqlite-'))
const pkg = path.join(work, 'better-sqlite3')
cpSync(path.join(root, 'node_modules', 'better-sqlite3'), pkg, {
  recursive: true,
  filter: (src) => !src.includes(`${path.sep}build${path.sep}`),
})
const bin = (name) => path.join(root, 'node_modules', '.bin', name)
const run = (cmd, args) => spawnSync(cmd, args, { cwd: pkg, stdio: 'inherit', shell: platform === 'win32' })
// First a prebuilt addon for Electron's ABI; else compile against Electron's headers.
let status = run(bin('prebuild-install'), ['--runtime=electron', `--target=${version}`, `--arch=${arch}`]).status
if (status !== 0) {
  status = run(bin('node-gyp'), [
    'rebuild',
    '--release',
    '--runtime=electron',
    `--target=${version}`,
    `--arch=${arch}`,
    '--dist-url=https://electronjs.org/headers',
  ]).status
}
const built = path.join(pkg, 'build', 'Release', 'better_sqlite3.node')
if (status !== 0 || !existsSync(built)) {
  rmSync(work, { recursive: true, force: true })
  console.error(
    'npm start: could not get better-sqlite3 for Electron (no internet?). The web UI works without it: `npm run web`.',
  )
  process.exit(1)
}
mkdirSync(path.dirname(target), { recursive: true })
copyFileSync(built, target)
rmSync(work, { recursive: true, force: true })
console.log(`npm start: ${path.relative(root, target)} ready`)
