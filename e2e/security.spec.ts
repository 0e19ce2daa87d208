import { expect, test } from './web-host.fixture'

test.describe('web host security', () => {
  test('a request without the token is refused', async ({ page, host }) => {
    const noToken = await page.goto(`${host.origin}/`)
    expect(noToken?.status()).toBe(401)
    const wrong = await page.goto(`${host.origin}/?token=not-the-token`)
    expect(wrong?.status()).toBe(401)
    const api = await page.request.post(`${host.origin}/api/catalog/info`, { data: {} })
    expect(api.status()).toBe(401)
    const media = await page.request.get(`${host.origin}/media/thumb/1?size=256`)
    expect(media.status()).toBe(401)
  })

  test('the WebSocket refuses an upgrade without the token', async ({ page, host }) => {
    await page.goto(host.url)
    const outcome = await page.evaluate(
      (origin) =>
        new Promise<string>((resolve) => {
          // Page origin differs from the cookie path? No: same origin, but the cookie is HttpOnly
          // and sent; strip it by asking for a different host name the cookie is not set for.
          const ws = new WebSocket(
            origin.replace('127.0.0.1', 'localhost').replace('http', 'ws') + '/events',
          )
          ws.onopen = () => resolve('open')
          ws.onerror = () => resolve('refused')
        }),
      host.origin,
    )
    expect(outcome).toBe('refused')
  })

  test('with the token the app loads with a strict CSP', async ({ page, host }) => {
    const res = await page.goto(host.url)
    expect(res?.status()).toBe(200)
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'")
    await expect(page.getByTestId('job-dock')).toBeVisible()
    // The token leaves the address bar once the page has it.
    expect(page.url()).not.toContain('token=')
  })
})
