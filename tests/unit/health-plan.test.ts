import { describe, expect, it } from 'vitest'
import { geohashOf } from '../../src/core/analysis/gps'
import { geohashState, isGeohashMismatch } from '../../src/core/health/geohash-check'
import {
  buildPlan,
  commandFor,
  orderKinds,
  parallelSecondsOf,
  parallelWidth,
  percentOf,
} from '../../src/core/health/plan'
import type {
  CoverageDto,
  HealthReportDto,
  PendingWorkDto,
  ReasonCountDto,
} from '../../src/shared/contract/health'
import type { JobKind } from '../../src/shared/jobs'

const NOW = new Date('2026-06-01T12:00:00Z')

function coverage(
  datum: CoverageDto['datum'],
  eligible: number,
  missingBy: ReasonCountDto[],
  job: JobKind | null,
): CoverageDto {
  const missing = missingBy.reduce((s, r) => s + r.count, 0)
  return {
    datum,
    label: datum,
    available: true,
    unavailableReason: null,
    eligible,
    have: eligible - missing,
    missing,
    percent: percentOf(eligible - missing, eligible),
    missingBy,
    informational: datum === 'gps',
    job,
    stage: job === 'analyze' || job === 'clip' ? job : null,
  }
}

const r = (reason: ReasonCountDto['reason'], count: number): ReasonCountDto => ({
  reason,
  count,
  examples: [],
})

/** A report of 1,000 photos, healthy unless overridden. */
function report(overrides: {
  pending?: Partial<PendingWorkDto>
  coverage?: CoverageDto[]
  problems?: HealthReportDto['problems']
  verified?: string | null
  dupesRun?: string | null
  stale?: boolean
  vanished?: number
}): HealthReportDto {
  const photos = 1000
  const groups = (lastRunAt: string | null) => ({
    available: true,
    unavailableReason: null,
    groups: 3,
    photos: 7,
    unresolved: 1,
    bytesReclaimable: null,
    lastRunAt,
    stale: overrides.stale ?? false,
  })
  const verified = overrides.verified === undefined ? '2026-05-30T00:00:00Z' : overrides.verified
  return {
    generatedAt: NOW.toISOString(),
    catalogPath: '/tmp/c.sqlite',
    folder: null,
    totals: {
      photos,
      present: photos - (overrides.vanished ?? 0),
      vanished: overrides.vanished ?? 0,
      images: photos,
      videos: 0,
      bytes: 1,
      folders: 1,
      notImported: 0,
      removed: 0,
    },
    coverage: overrides.coverage ?? [
      coverage('thumbnails', photos, [], 'analyze'),
      coverage('hashes', photos, [], 'analyze'),
      coverage('quality', photos, [], 'analyze'),
    ],
    dates: { bands: [], suspicious: [] },
    gpsSuspicious: [],
    duplicates: groups(
      overrides.dupesRun === undefined ? '2026-05-30T00:00:00Z' : overrides.dupesRun,
    ),
    bursts: groups('2026-05-30T00:00:00Z'),
    consistency: [],
    verify: {
      last:
        verified === null
          ? null
          : {
              jobId: 1,
              at: verified,
              folder: null,
              checked: photos,
              vanished: 0,
              changed: 0,
              touched: 0,
              relinked: 0,
              returned: 0,
            },
      notVerifiedSince: 0,
    },
    problems: overrides.problems ?? [],
    pending: {
      analyze: 0,
      clip: 0,
      geohash: 0,
      geohashRows: 0,
      retry: 0,
      verify: photos,
      ...overrides.pending,
    },
    clipModel: null,
    timing: { sqlMs: 0, geohashMs: 0, filesMs: 0 },
  }
}

const noRates = () => null

describe(buildPlan.name, () => {
  it('recommends nothing for a healthy, recently verified catalog', () => {
    const plan = buildPlan({ report: report({}), measuredRate: noRates, workers: 1, now: NOW })
    expect(plan.steps).toEqual([])
    expect(plan.expected.every((e) => e.afterPercent === 100)).toBe(true)
  })

  it('orders verify, retry, geohash, analyze, then duplicates and bursts, each after its inputs', () => {
    const plan = buildPlan({
      report: report({
        verified: null,
        pending: { analyze: 40, retry: 2, geohash: 5, geohashRows: 300 },
        coverage: [
          coverage(
            'thumbnails',
            1000,
            [r('never_processed', 30), r('file_missing', 10), r('corrupt', 1)],
            'analyze',
          ),
          coverage(
            'hashes',
            1000,
            [r('never_processed', 30), r('corrupt', 1), r('unreadable', 2)],
            'analyze',
          ),
          coverage('quality', 1000, [r('never_processed', 30), r('corrupt', 1)], 'analyze'),
          coverage('geohash', 300, [r('mismatch', 3), r('never_processed', 2)], 'geohash'),
        ],
        problems: [
          {
            stage: 'analyze',
            code: 'unreadable',
            count: 2,
            transient: true,
            retryable: 2,
            examples: [],
          },
          {
            stage: 'analyze',
            code: 'corrupt',
            count: 1,
            transient: false,
            retryable: 0,
            examples: [],
          },
        ],
      }),
      measuredRate: (kind) => (kind === 'analyze' ? 4 : null),
      workers: 2,
      now: NOW,
    })
    expect(plan.steps.map((s) => s.kind)).toEqual([
      'verify',
      'retry-failed',
      'geohash',
      'analyze',
      'duplicates',
      'bursts',
    ])
    const step = (k: JobKind) => plan.steps.find((s) => s.kind === k)
    expect(step('analyze')?.after).toEqual(['verify', 'retry-failed'])
    expect(step('duplicates')?.after).toEqual(['analyze'])
    expect(step('geohash')?.after).toEqual([])
    expect(step('geohash')?.items).toBe(5)
    expect(step('analyze')?.items).toBe(40)
    // Measured: 40 items at 4/s + 2 s overhead; default for the rest, and it says which.
    expect(step('analyze')?.estimate).toEqual({ seconds: 12, rate: 4, source: 'measured' })
    expect(step('geohash')?.estimate.source).toBe('default')
    expect(step('analyze')?.command).toBe('vam run analyze')
    // After: everything but the corrupt file, which no job fixes.
    const thumbs = plan.expected.find((e) => e.datum === 'thumbnails')
    expect(thumbs?.afterPercent).toBe(99.9)
    expect(thumbs?.remaining).toEqual([r('corrupt', 1)])
    expect(plan.expected.find((e) => e.datum === 'geohash')?.afterPercent).toBe(100)
    expect(plan.notes.some((n) => n.includes('corrupt file'))).toBe(true)
  })

  it('recommends duplicates when never run or stale, not when current', () => {
    const never = buildPlan({
      report: report({ dupesRun: null }),
      measuredRate: noRates,
      workers: 1,
      now: NOW,
    })
    expect(never.steps.map((s) => s.kind)).toEqual(['duplicates'])
    const stale = buildPlan({
      report: report({ stale: true }),
      measuredRate: noRates,
      workers: 1,
      now: NOW,
    })
    expect(stale.steps.map((s) => s.kind)).toEqual(['duplicates', 'bursts'])
  })

  it('recommends verify again after 30 days and when items failed as vanished', () => {
    const old = buildPlan({
      report: report({ verified: '2026-04-01T00:00:00Z' }),
      measuredRate: noRates,
      workers: 1,
      now: NOW,
    })
    expect(old.steps.map((s) => s.kind)).toEqual(['verify'])
    const vanished = buildPlan({
      report: report({
        problems: [
          {
            stage: 'analyze',
            code: 'vanished',
            count: 3,
            transient: false,
            retryable: 0,
            examples: [],
          },
        ],
      }),
      measuredRate: noRates,
      workers: 1,
      now: NOW,
    })
    expect(vanished.steps[0]?.reason).toContain('re-links moved files')
  })

  it('passes the folder to the jobs that take one', () => {
    const base = report({ verified: null, pending: { analyze: 3 } })
    const plan = buildPlan({
      report: { ...base, folder: "/photos/Bob's trip" },
      measuredRate: noRates,
      workers: 1,
      now: NOW,
    })
    expect(plan.steps[0]?.params).toEqual({ kind: 'verify', folder: "/photos/Bob's trip" })
    expect(plan.steps[1]?.command).toBe(`vam run analyze --folder '/photos/Bob'\\''s trip'`)
  })
})

describe(orderKinds.name, () => {
  it('respects dependencies whatever the input order', () => {
    expect(orderKinds(['bursts', 'analyze', 'verify', 'clip', 'duplicates'])).toEqual([
      'verify',
      'analyze',
      'clip',
      'duplicates',
      'bursts',
    ])
  })
})

describe(parallelSecondsOf.name, () => {
  it('is the longest chain, but CPU-bound jobs sharing the pool add up', () => {
    const plan = buildPlan({
      report: report({
        verified: null,
        pending: { analyze: 100, geohash: 1, geohashRows: 10 },
        coverage: [
          coverage('thumbnails', 1000, [r('never_processed', 100)], 'analyze'),
          coverage('hashes', 1000, [r('never_processed', 100)], 'analyze'),
        ],
      }),
      measuredRate: (k) =>
        ({ verify: 10, analyze: 1, duplicates: 100, bursts: 100, geohash: 10 })[k as string] ??
        null,
      workers: 1,
      now: NOW,
    })
    // verify 2+1000/10 s, geohash 2+10/10 s beside it, analyze 2+100/1 s, then duplicates and
    // bursts (1000 photos hashed once analyze ran) 2+1000/100 s each, side by side.
    expect(plan.sequentialSeconds).toBe(102 + 3 + 102 + 12 + 12)
    expect(plan.parallelSeconds).toBe(102 + 102 + 12)
    expect(parallelWidth(plan.steps, 8)).toBe(2)
    expect(parallelWidth(plan.steps, 1)).toBe(1)
  })
})

describe(commandFor.name, () => {
  it('maps params onto CLI flags', () => {
    expect(commandFor({ kind: 'duplicates', threshold: 4 })).toBe(
      'vam run duplicates --threshold 4',
    )
    expect(commandFor({ kind: 'analyze', force: true })).toBe('vam run analyze --force')
  })
})

describe(percentOf.name, () => {
  it('never rounds a gap away', () => {
    expect(percentOf(99_999, 100_000)).toBe(99.9)
    expect(percentOf(0, 0)).toBe(100)
    expect(percentOf(1, 3)).toBe(33.3)
  })
})

describe(isGeohashMismatch.name, () => {
  it('agrees with the exact check on random positions, boundaries and damaged hashes', () => {
    let seed = 7
    const rand = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0
      return seed / 2 ** 32
    }
    const cases: [string, number, number][] = []
    for (let i = 0; i < 5000; i++) {
      const lat = -89.9 + rand() * 179.8
      const lon = -179.9 + rand() * 359.8
      const hash = geohashOf(lat, lon)
      cases.push([hash, lat, lon])
      cases.push([geohashOf(-lat, lon), lat, lon])
      cases.push([hash.slice(0, 8), lat, lon])
      cases.push([`${hash.slice(0, 11)}a`, lat, lon])
    }
    // Exactly on cell edges, and the extremes.
    for (const [lat, lon] of [
      [0, 0.0001],
      [45, 90],
      [-90, -180],
      [90, 180],
      [0.5, -0.5],
    ] as const) {
      cases.push([geohashOf(lat, lon), lat, lon])
    }
    for (const [hash, lat, lon] of cases) {
      expect(isGeohashMismatch(hash, lat, lon), `${hash} ${lat} ${lon}`).toBe(
        geohashState(hash, lat, lon) === 'mismatch',
      )
    }
  })
})
