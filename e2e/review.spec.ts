import { existsSync } from 'node:fs'
import {
  ensureImported,
  expect,
  snap,
  test,
  waitForJob,
  type HostFixture,
} from './web-host.fixture'

test.describe.configure({ mode: 'serial' })

/**
 * Runs a review job to completion on an analysed catalog: analyze first when no run of it is
 * known (the first test runs it from the job panel; a worker restart starts a fresh catalog).
 */
async function analyzeThenRun(host: HostFixture, kind: 'duplicates' | 'bursts'): Promise<void> {
  if ((await waitForJob(host, 'analyze').catch(() => 'none')) === 'none') {
    await host.call('jobs', 'start', { params: { kind: 'analyze' } })
    await waitForJob(host, 'analyze')
  }
  await host.call('jobs', 'start', { params: { kind } })
  expect(await waitForJob(host, kind)).toBe('completed')
}

test.describe('analyze and review', () => {
  test.beforeEach(async ({ host }) => ensureImported(host))

  test('run analyze from the job panel and see thumbnails in the grid', async ({ page, host }) => {
    await page.goto(host.url)
    await page.getByTestId('job-dock-toggle').click()
    await page.getByTestId('run-job').selectOption('analyze')
    const row = page.locator('[data-testid=job-row][data-kind=analyze]').first()
    await expect(row).toHaveAttribute('data-state', 'completed', { timeout: 110_000 })
    await page.getByTestId('job-dock-toggle').click()
    await page.getByLabel('Thumbnail size').fill('80')
    const images = page.locator('[data-testid=grid-cell] img')
    await expect(images).toHaveCount(host.photoCount)
    await expect
      .poll(() =>
        images.evaluateAll(
          (els) =>
            els.filter((e) => (e as unknown as { naturalWidth: number }).naturalWidth > 0).length,
        ),
      )
      .toBe(host.photoCount)
    await snap(page, '12-grid-thumbnails')
  })

  test('review a duplicate group: resolve moves the copies out of the folder, undo brings them back', async ({
    page,
    host,
  }) => {
    await analyzeThenRun(host, 'duplicates')

    await page.goto(host.url)
    await page.getByTestId('nav-duplicates').click()
    const groups = page.getByTestId('duplicate-group')
    await expect(groups.first()).toBeVisible()
    // Find the group of the kite photo and its copies.
    const columns = page.getByTestId('compare-column')
    for (let i = 0; i < (await groups.count()); i++) {
      await groups.nth(i).click()
      if ((await columns.first().innerText()).includes('kde_Kite')) break
    }
    await expect(columns).toHaveCount(3)
    await expect(page.getByTestId('suggested-keeper')).toHaveCount(1)
    await expect(page.locator('.compare-column .differs').first()).toBeVisible()
    await snap(page, '13-duplicates-compare')

    // Keyboard: 1 selects the first photo, K keeps it; the others follow the suggestion.
    await page.keyboard.press('1')
    await page.keyboard.press('k')
    await expect(columns.first()).toHaveAttribute('data-keep', 'true')
    const removedIds = await page
      .locator('[data-testid=compare-column][data-keep=false]')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-photo-id'))))
    expect(removedIds.length).toBeGreaterThan(0)
    const removedPaths = await Promise.all(
      removedIds.map(
        async (id) =>
          (await host.call<{ photo: { path: string } }>('photos', 'get', { id })).photo.path,
      ),
    )
    for (const p of removedPaths) expect(existsSync(p)).toBe(true)

    await page.keyboard.press('Enter')
    await expect(page.getByTestId('resolve-summary')).toContainText(`${removedIds.length} file(s)`)
    await snap(page, '14-duplicates-confirm')
    await page.getByRole('button', { name: 'Move files and resolve' }).click()
    for (const p of removedPaths) await expect.poll(() => existsSync(p)).toBe(false)
    await snap(page, '15-duplicates-resolved')

    await page.keyboard.press('Control+z')
    for (const p of removedPaths) await expect.poll(() => existsSync(p)).toBe(true)
    await expect(page.getByTestId('toast')).toContainText('Undone')
  })

  test('review a burst: choose another best frame, keep it and remove the rest, undo', async ({
    page,
    host,
  }) => {
    await analyzeThenRun(host, 'bursts')
    await page.goto(host.url)
    await page.getByTestId('nav-bursts').click()
    const frames = page.getByTestId('burst-frame')
    await expect(frames).toHaveCount(3)
    // The sharp first frame is the suggested best; B on frame 2 makes that one the best instead.
    await expect(frames.nth(0)).toHaveAttribute('data-best', 'true')
    await snap(page, '16-bursts')
    await page.keyboard.press('2')
    await page.keyboard.press('b')
    await expect(frames.nth(1)).toHaveAttribute('data-best', 'true')
    await expect(frames.nth(0)).toHaveAttribute('data-best', 'false')
    const paths = await frames.evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? ''))
    const removed = [paths[0], paths[2]] as string[]
    await page.keyboard.press('Enter')
    await page.getByRole('button', { name: 'Move files and resolve' }).click()
    for (const p of removed) await expect.poll(() => existsSync(p)).toBe(false)
    expect(existsSync(paths[1] as string)).toBe(true)
    await page.keyboard.press('Control+z')
    for (const p of removed) await expect.poll(() => existsSync(p)).toBe(true)
  })
})
