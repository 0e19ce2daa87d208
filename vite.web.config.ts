import react from '@vitejs/plugin-react'
import path from 'node:path'
import { defineConfig } from 'vite'

/**
 * The renderer built for the browser host (`vam serve`, e2e). Electron's renderer build points at
 * the same src/renderer/index.html; relative asset URLs (`base: './'`) work under both.
 * `@resources` reaches the bundled offline basemap in resources/ without a relative import
 * leaving src/ (the layering check forbids that).
 */
export default defineConfig({
  root: path.resolve(import.meta.dirname, 'src/renderer'),
  base: './',
  plugins: [react()],
  resolve: { alias: { '@resources': path.resolve(import.meta.dirname, 'resources') } },
  build: {
    outDir: path.resolve(import.meta.dirname, 'dist-web'),
    emptyOutDir: true,
    // Electron 45 and current chromium: no legacy syntax lowering needed.
    target: 'es2023',
    chunkSizeWarningLimit: 1500,
  },
})
