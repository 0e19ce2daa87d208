import { ensureImported, expect, snap, test, waitForJob } from './web-host.fixture'

interface PlanStep {
  readonly kind: string
}

test.describe('health', () => {
  test.beforeEach(async ({ host }) => ensureImported(host))

  test('shows coverage and the plan, runs the whole plan, and then says nothing is left', async ({
    page,
    host,
  }) => {
    await page.goto(host.url)
    await page.getByTestId('nav-health').click()
    await expect(page.getByTestId('health-page')).toBeVisible()
    await expect(page.getByTestId('coverage-thumbnails')).toBeVisible()
    await expect(page.getByTestId('health-totals')).toContainText('photos')
    await snap(page, '20-health-before')

    const plan = await host.call<{ steps: readonly PlanStep[] }>('health', 'plan', {})
    if (plan.steps.length > 0) {
      await expect(page.getByTestId(`plan-step-${plan.steps[0]?.kind}`)).toBeVisible()
      await page.getByTestId('run-plan').click()
      for (const step of plan.steps)
        expect(await waitForJob(host, step.kind, 180_000)).toBe('completed')
    }
    // The page refreshes itself as the jobs finish.
    await expect(page.getByTestId('plan-empty')).toBeVisible({ timeout: 60_000 })
    await expect(page.getByTestId('coverage-thumbnails')).toContainText('%')
    const report = await host.call<{
      coverage: { datum: string; missingBy: { reason: string }[] }[]
    }>('health', 'report', {})
    // Whatever is still missing has a reason no job can change (a bad file, a vanished original).
    for (const c of report.coverage) {
      for (const r of c.missingBy)
        expect(['never_processed', 'outdated', 'file_missing']).not.toContain(r.reason)
    }
    await snap(page, '21-health-after-plan')

    const download = page.waitForEvent('download')
    await page.getByTestId('export-markdown').click()
    const file = await download
    expect(file.suggestedFilename()).toBe('catalog-health.md')
  })
})
