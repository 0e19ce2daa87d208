/**
 * How the e2e specs (playwright.config.ts) and the UI benchmark (bench/ui.bench.ts) launch
 * chromium: Debian's build (Playwright cannot download its own browsers here), headless, and
 * without the background traffic (updates, sync, QUIC probes) that would make runs differ.
 * scripts/run-e2e.mjs checks the same path before a run.
 */
export const CHROMIUM_PATH = process.env.VAM_CHROMIUM ?? '/usr/bin/chromium'

/** Launch options for Playwright's `chromium.launch` / `use.launchOptions`. */
export function chromiumLaunchOptions(): { executablePath: string; args: string[] } {
  return {
    executablePath: CHROMIUM_PATH,
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
  }
}
