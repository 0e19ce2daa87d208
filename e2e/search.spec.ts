import { mkdirSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { writeTinyClip } from '../tests/helpers/clip-tiny'
import { ensureImported, expect, snap, test, waitForJob } from './web-host.fixture'

test.describe('search', () => {
  test('with a CLIP model set in Settings the search box ranks photos by description', async ({
    page,
    host,
  }) => {
    await ensureImported(host)
    // Solid-colour photos: the tiny test model embeds "red", "green" and "blue" along them.
    const colours = path.join(host.dir, 'colours')
    mkdirSync(colours, { recursive: true })
    for (const [name, rgb] of [
      ['solid_red.jpg', { r: 255, g: 0, b: 0 }],
      ['solid_green.jpg', { r: 0, g: 255, b: 0 }],
      ['solid_blue.jpg', { r: 0, g: 0, b: 255 }],
    ] as const) {
      await sharp({ create: { width: 96, height: 64, channels: 3, background: rgb } })
        .jpeg({ quality: 95 })
        .toFile(path.join(colours, name))
    }
    await host.call('jobs', 'start', { params: { kind: 'import', root: colours } })
    await waitForJob(host, 'import')
    const modelDir = path.join(host.dir, 'tiny-clip')
    writeTinyClip(modelDir)

    await page.goto(host.url)
    await page.getByTestId('nav-settings').click()
    const field = page.getByPlaceholder('(no model: search matches file names and cameras)')
    await field.fill(modelDir)
    await field.blur()
    await expect(page.getByTestId('clip-status')).toContainText('Active', { timeout: 30_000 })
    await snap(page, '17-settings-clip')

    await host.call('jobs', 'start', { params: { kind: 'clip' } })
    expect(await waitForJob(host, 'clip')).toBe('completed')

    await page.getByTestId('nav-all-photos').click()
    await page.getByTestId('search-box').fill('a photo of red')
    await page.getByTestId('search-box').press('Enter')
    await expect(page.getByTestId('chip-search')).toBeVisible()
    await expect(page.getByTestId('grid-cell').first()).toHaveAttribute('title', /solid_red\.jpg$/)
    await expect(page.locator('.badge.score').first()).toBeVisible()
    await snap(page, '18-clip-search')
    await page.getByTestId('chip-search').getByRole('button', { name: /Clear/ }).click()
    await expect(page.getByTestId('chip-search')).toHaveCount(0)
  })
})
