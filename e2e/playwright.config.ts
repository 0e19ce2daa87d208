import { defineConfig } from '@playwright/test'

/**
 * Playwright against the web host in Debian's chromium (Playwright cannot download its own
 * browsers here). scripts/run-e2e.mjs builds dist-web first and checks chromium exists.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: '../test-results/playwright',
  // 2-core machines: one spec file at a time; each spec starts its own host + workers.
  workers: 1,
  fullyParallel: false,
  timeout: 120_000,
  expect: { timeout: 30_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    viewport: { width: 1400, height: 900 },
    launchOptions: {
      executablePath: process.env.VAM_CHROMIUM ?? '/usr/bin/chromium',
      // Playwright gives every launch a fresh temporary profile (user-data dir) itself.
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    trace: 'off',
    screenshot: 'only-on-failure',
  },
})
