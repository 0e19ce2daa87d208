// Bundles the Node entry points (CLI, web host, worker) into out/node/ with esbuild.
// Native and large packages stay external and load from node_modules at run time.
import { build } from 'esbuild'

const external = [
  'better-sqlite3',
  'sharp',
  'onnxruntime-node',
  'exifr',
  'ws',
  '@huggingface/tokenizers',
  'electron',
]
await build({
  entryPoints: {
    cli: 'src/cli/index.ts',
    worker: 'src/workers/node-worker.ts',
  },
  outdir: 'out/node',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  external,
  sourcemap: true,
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
})
console.log('built out/node/{cli,worker}.js')
