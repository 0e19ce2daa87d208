#!/usr/bin/env node
// Enforces design.md's layering on every import in src/ (a static scan, no TypeScript needed):
//   shared   → nothing of ours, no node:*, no electron, no react
//   core     → shared (+ node, npm packages); never electron, react, main, preload, renderer, server, cli
//   workers  → core, shared
//   renderer → shared only (+ browser packages); never node:*, electron, core
//   cli / server → core, shared; never electron
//   main / preload → anything but renderer internals
// Exits non-zero listing every violation.
import { readFileSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..')
const src = path.join(root, 'src')
const layers = ['shared', 'core', 'workers', 'renderer', 'cli', 'server', 'main', 'preload']
const allowedOurs = {
  shared: ['shared'],
  core: ['core', 'shared'],
  workers: ['workers', 'core', 'shared'],
  renderer: ['renderer', 'shared'],
  cli: ['cli', 'core', 'shared', 'server'],
  server: ['server', 'core', 'shared'],
  main: ['main', 'core', 'shared', 'workers'],
  preload: ['preload', 'shared'],
}
const electronAllowed = new Set(['main', 'preload'])
const nodeForbidden = new Set(['shared', 'renderer'])
const reactAllowed = new Set(['renderer'])

function* walk(dir) {
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry)
    if (statSync(full).isDirectory()) yield* walk(full)
    else if (/\.(ts|tsx|mts|cts)$/.test(entry)) yield full
  }
}

const importRe = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm
const builtins = new Set(
  (await import('node:module')).builtinModules.flatMap((m) => [m, `node:${m}`]),
)
const violations = []
for (const file of walk(src)) {
  const layer = path.relative(src, file).split(path.sep)[0]
  if (!layers.includes(layer)) continue
  const text = readFileSync(file, 'utf8')
  for (const match of text.matchAll(importRe)) {
    const spec = match[1] ?? match[2] ?? match[3]
    const where = `${path.relative(root, file)}: imports '${spec}'`
    if (spec === 'electron' || spec.startsWith('electron/')) {
      if (!electronAllowed.has(layer)) violations.push(`${where} (electron only in src/main, src/preload)`)
    } else if (builtins.has(spec) || spec.startsWith('node:')) {
      if (nodeForbidden.has(layer)) violations.push(`${where} (no Node APIs in src/${layer})`)
    } else if (spec === 'react' || spec.startsWith('react/') || spec === 'react-dom' || spec.startsWith('react-dom/')) {
      if (!reactAllowed.has(layer)) violations.push(`${where} (react only in src/renderer)`)
    } else if (spec.startsWith('.')) {
      const target = path.resolve(path.dirname(file), spec.replace(/\?.*$/, ''))
      const rel = path.relative(src, target)
      const targetLayer = rel.split(path.sep)[0]
      if (rel.startsWith('..')) {
        violations.push(`${where} (reaches outside src/)`)
      } else if (!allowedOurs[layer].includes(targetLayer)) {
        violations.push(`${where} (src/${layer} may not import src/${targetLayer})`)
      }
    }
  }
}
if (violations.length > 0) {
  console.error(`Layering violations (${violations.length}):\n  ${violations.join('\n  ')}`)
  process.exit(1)
}
console.log('layering ok')
