import { defineConfig } from '@playwright/test'
import { chromiumLaunchOptions } from './chromium-launch'

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
    launchOptions: chromiumLaunchOptions(),
    trace: 'off',
    screenshot: 'only-on-failure',
  },
})
