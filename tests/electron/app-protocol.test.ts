import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { APP_ORIGIN, appAssetPath, handleAppRequest } from '../../src/main/app-protocol'
import { useTempDirs } from '../helpers/temp-dir'

const tempDir = useTempDirs()

describe(appAssetPath.name, () => {
  it.each([
    [`${APP_ORIGIN}/index.html`, 'index.html'],
    [`${APP_ORIGIN}/`, 'index.html'],
    [APP_ORIGIN, 'index.html'],
    [`${APP_ORIGIN}/assets/index-abc123.js`, 'assets/index-abc123.js'],
    [`${APP_ORIGIN}/assets/leaflet.css?v=1`, 'assets/leaflet.css'],
    // Extension-less paths are client-side routes of the single-page app.
    [`${APP_ORIGIN}/duplicates`, 'index.html'],
    [`${APP_ORIGIN}/library/folder`, 'index.html'],
    // WHATWG parsing resolves dot segments before we see them: still inside the root.
    [`${APP_ORIGIN}/assets/../index.html`, 'index.html'],
    [`${APP_ORIGIN}/%2e%2e/%2e%2e/etc/passwd`, 'index.html'],
  ])('maps %s to %s', (url, expected) => {
    expect(appAssetPath(url)).toBe(expected)
  })

  it.each([
    'vam-app://other/index.html',
    'vam-media://renderer/index.html',
    'file:///etc/passwd',
    'https://renderer/index.html',
    `vam-app://user@renderer/index.html`,
    `${APP_ORIGIN}/..%2f..%2fetc%2fpasswd`,
    `${APP_ORIGIN}/assets%2f..%2f..%2fx.js`,
    `${APP_ORIGIN}/..%5c..%5cwin.ini`,
    `${APP_ORIGIN}/a%00.js`,
    `${APP_ORIGIN}/%E0%A4%A.js`,
    'not a url',
  ])('refuses %s', (url) => {
    expect(appAssetPath(url)).toBeNull()
  })
})

function renderer() {
  const root = path.join(tempDir(), 'renderer')
  mkdirSync(path.join(root, 'assets'), { recursive: true })
  writeFileSync(
    path.join(root, 'index.html'),
    '<!doctype html><script src="./assets/a.js"></script>',
  )
  writeFileSync(path.join(root, 'assets', 'a.js'), 'console.log(1)')
  writeFileSync(path.join(root, 'assets', 'notes.unknownext'), 'x')
  const outside = path.join(path.dirname(root), 'secret.js')
  writeFileSync(outside, 'secret')
  symlinkSync(outside, path.join(root, 'assets', 'link.js'))
  return root
}

describe(handleAppRequest.name, () => {
  const csp = () => "default-src 'none'; script-src 'self'"

  it('serves index.html with the CSP header and scripts with their type', async () => {
    const root = renderer()
    const html = await handleAppRequest(`${APP_ORIGIN}/index.html`, root, csp)
    expect(html.status).toBe(200)
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(html.headers.get('content-security-policy')).toBe(csp())
    expect(await html.text()).toContain('<script')
    const js = await handleAppRequest(`${APP_ORIGIN}/assets/a.js`, root, csp)
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(js.headers.get('content-security-policy')).toBeNull()
    expect(await js.text()).toBe('console.log(1)')
  })

  it('serves client-side routes as index.html', async () => {
    const response = await handleAppRequest(`${APP_ORIGIN}/health`, renderer(), csp)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-security-policy')).toBe(csp())
  })

  it('refuses symlinks out of the folder, unknown types, missing files and bad URLs', async () => {
    const root = renderer()
    const statuses = await Promise.all(
      [
        `${APP_ORIGIN}/assets/link.js`,
        `${APP_ORIGIN}/assets/notes.unknownext`,
        `${APP_ORIGIN}/assets/missing.js`,
        `${APP_ORIGIN}/..%2fsecret.js`,
        'vam-app://elsewhere/index.html',
      ].map(async (url) => (await handleAppRequest(url, root, csp)).status),
    )
    expect(statuses).toEqual([404, 404, 404, 400, 400])
  })
})

describe('appAssetPath on double-encoded traversal', () => {
  it('decodes once: %252e%252e stays a literal name inside the folder', () => {
    const mapped = appAssetPath(`${APP_ORIGIN}/%252e%252e/x.js`)
    expect(mapped).toBe('%2e%2e/x.js')
  })
})
