import { expect, snap, test } from './web-host.fixture'

test.describe.configure({ mode: 'serial' })

test.describe('library', () => {
  test('import the fixture folder through the UI; the grid shows every photo', async ({
    page,
    host,
  }) => {
    await page.goto(host.url)
    await snap(page, '01-library-empty')
    await page.getByTestId('nav-import').click()
    await page.getByTestId('import-path').fill(host.photosDir)
    await snap(page, '02-import-page')
    await page.getByTestId('import-start').click()
    const panel = page.getByTestId('job-panel')
    await expect(panel).toBeVisible()
    const importRow = panel.locator('[data-testid=job-row][data-kind=import]').first()
    await expect(importRow).toHaveAttribute('data-state', 'completed', { timeout: 90_000 })
    await snap(page, '03-job-panel-done')
    await page.getByTestId('nav-all-photos').click()
    const grid = page.getByTestId('photo-grid')
    await expect(grid).toHaveAttribute('data-total', String(host.photoCount))
    // Small thumbnails so every photo of the fixture fits on one screen.
    await page.getByLabel('Thumbnail size').fill('80')
    await expect(page.getByTestId('grid-cell')).toHaveCount(host.photoCount)
    await expect(page.getByTestId('folder-tree')).toContainText(String(host.photoCount))
    await snap(page, '04-library-grid')
  })

  test("open a photo's info and the viewer, by mouse and keyboard", async ({ page, host }) => {
    await page.goto(host.url)
    const first = page.getByTestId('grid-cell').first()
    await first.click()
    const info = page.getByTestId('photo-info')
    await expect(info).toBeVisible()
    const name = await first.getAttribute('title')
    expect(name).toBeTruthy()
    await expect(info).toContainText(String(name?.split('/').pop()))
    await expect(page.getByTestId('info-date')).toContainText('Source')
    await snap(page, '05-info-panel')
    // Keyboard: → moves the focus, Shift+→ extends the selection, Enter opens the viewer.
    await page.keyboard.press('ArrowRight')
    await expect(page.locator('.grid-cell.focused')).toHaveAttribute('data-index', '1')
    await page.keyboard.press('Shift+ArrowRight')
    await expect(page.locator('.grid-cell.selected')).toHaveCount(2)
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('viewer')).toBeVisible()
    await snap(page, '06-viewer')
    await page.getByTestId('viewer-zoom').click()
    const original = page.getByTestId('viewer-original')
    await expect(original).toBeVisible()
    await expect
      .poll(() =>
        original.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
      )
      .toBeGreaterThan(0)
    await page.keyboard.press('Escape')
    await expect(page.getByTestId('viewer')).toHaveCount(0)
  })

  test('search and filter chips narrow the grid', async ({ page, host }) => {
    await page.goto(host.url)
    await page.getByTestId('search-box').fill('geo_')
    await expect(page.getByTestId('photo-grid')).toHaveAttribute('data-total', '5')
    await page.getByTestId('search-box').fill('')
    await expect(page.getByTestId('photo-grid')).toHaveAttribute(
      'data-total',
      String(host.photoCount),
    )
    const withGps = await host.call<{ total: number }>('photos', 'page', {
      filter: { hasGps: true },
      offset: 0,
      limit: 1,
    })
    expect(withGps.total).toBeGreaterThanOrEqual(5)
    await page.getByTestId('chip-gps').locator('.chip-body').click()
    await expect(page.getByTestId('photo-grid')).toHaveAttribute(
      'data-total',
      String(withGps.total),
    )
    await snap(page, '07-filter-gps')
  })

  test('the other pages render', async ({ page, host }) => {
    await page.goto(host.url)
    for (const view of ['errors', 'health', 'settings', 'duplicates', 'bursts'] as const) {
      await page.getByTestId(`nav-${view}`).click()
      // Review pages with groups to show render as .review-page (the health spec may have run
      // the whole plan on this worker's catalog before).
      await expect(page.locator('.centre .page, .centre .review-page').first()).toBeVisible()
      await snap(page, `08-page-${view}`)
    }
    await page.getByTestId('nav-settings').click()
    await page.getByTestId('theme-select').selectOption('dark')
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
    await snap(page, '09-settings-dark')
    await page.getByTestId('theme-select').selectOption('system')
  })
})

test.describe('drop to import', () => {
  test('dragging files over the window shows the overlay; a drop in a browser asks for the path', async ({
    page,
    host,
  }) => {
    await page.goto(host.url)
    const dataTransfer = await page.evaluateHandle(() => {
      // Browser globals, read through globalThis: e2e code is typechecked without the DOM lib.
      const g = globalThis as unknown as {
        DataTransfer: new () => { items: { add(file: unknown): void } }
      }
      const dt = new g.DataTransfer()
      dt.items.add(new File(['x'], 'Holiday 2023', { type: '' }))
      return dt
    })
    await page.dispatchEvent('body', 'dragenter', { dataTransfer })
    await expect(page.getByTestId('drop-overlay')).toContainText('Drop a folder')
    await snap(page, '19-drop-overlay')
    await page.dispatchEvent('body', 'drop', { dataTransfer })
    await expect(page.getByTestId('import-page')).toBeVisible()
    await expect(page.getByTestId('import-path')).toHaveValue('Holiday 2023')
    await expect(page.getByTestId('drop-overlay')).toContainText('Import')
  })
})
