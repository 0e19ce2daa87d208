import { ensureImported, expect, snap, test } from './web-host.fixture'

test.describe('map', () => {
  test.beforeEach(async ({ host }) => ensureImported(host))

  test('a cluster on the map filters the grid to its photos', async ({ page, host }) => {
    await page.goto(host.url)
    await page.getByTestId('nav-map').click()
    const map = page.getByTestId('leaflet-map')
    await expect(map).toHaveAttribute('data-updates', /[1-9]/)
    // The Paris photos (and any fixture photo geotagged in Europe) form a cluster; Tokyo's single
    // photo is a marker.
    const cluster = page.locator('.map-cluster')
    await expect(cluster).toHaveCount(1)
    const count = Number(await cluster.innerText())
    expect(count).toBeGreaterThanOrEqual(4)
    await expect(page.locator('path.map-photo').first()).toBeVisible()
    await expect(page.locator('path.basemap-land').first()).toBeAttached()
    await snap(page, '10-map')
    await cluster.click()
    await expect(page.getByTestId('photo-grid')).toHaveAttribute('data-total', String(count))
    await expect(page.getByTestId('grid-cell')).toHaveCount(count)
    await expect(page.locator('[data-testid=grid-cell][title*=geo_paris_]')).toHaveCount(4)
    await snap(page, '11-map-filtered-grid')
  })

  test('drawing a box filters the grid to the photos inside it', async ({ page, host }) => {
    await page.goto(`${host.url}#/map`)
    const map = page.getByTestId('leaflet-map')
    await expect(map).toHaveAttribute('data-updates', /[1-9]/)
    const cluster = page.locator('.map-cluster')
    const count = Number(await cluster.innerText())
    const box = await cluster.boundingBox()
    expect(box).not.toBeNull()
    if (!box) return
    await page.getByTestId('map-select-area').click()
    await page.mouse.move(box.x - 20, box.y - 20)
    await page.mouse.down()
    await page.mouse.move(box.x + box.width + 20, box.y + box.height + 20, { steps: 5 })
    await page.mouse.up()
    await expect(page.getByTestId('photo-grid')).toHaveAttribute('data-total', String(count))
    await expect(page.getByTestId('chip-place')).toBeVisible()
  })
})
