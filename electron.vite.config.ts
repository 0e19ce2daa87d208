import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'
import webConfig from './vite.web.config'

// Native modules load from node_modules at run time (unpacked from the asar, rebuilt for
// Electron's ABI at packaging — docs/packaging.md). Every runtime dependency stays external in
// main and in the utility-process worker; these three must, whatever else changes.
const NATIVE_DEPS = ['better-sqlite3', 'sharp', 'onnxruntime-node']

export default defineConfig({
  main: {
    build: {
      externalizeDeps: { include: NATIVE_DEPS },
      rolldownOptions: {
        // src/workers/utility-worker.ts is bundled too, through its `?modulePath` import in main.
        input: { index: resolve(import.meta.dirname, 'src/main/index.ts') },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can require only 'electron': bundle everything else into one file…
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') },
        // …as CommonJS: with "type": "module" electron-vite would emit ESM (index.mjs), which a
        // sandboxed renderer cannot load.
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    // The same React app, index.html and import aliases (`@resources`) as the web build.
    root: resolve(import.meta.dirname, 'src/renderer'),
    resolve: webConfig.resolve,
    plugins: [react()],
    build: {
      rolldownOptions: {
        input: { index: resolve(import.meta.dirname, 'src/renderer/index.html') },
      },
    },
  },
})
