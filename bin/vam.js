#!/usr/bin/env node
// `vam` after `npm run build`: the bundled CLI. Run `npm run build` first (or use `npm run vam`).
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const built = fileURLToPath(new URL('../out/node/cli.js', import.meta.url))
if (!existsSync(built)) {
  process.stderr.write('vam: not built yet — run `npm run build` (or `npm run vam -- <command>`)\n')
  process.exit(1)
}
await import(built)
