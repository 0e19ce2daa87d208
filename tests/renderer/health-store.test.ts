import { afterEach, describe, expect, it, vi } from 'vitest'
import { setApiForTests } from '../../src/renderer/api/client'
import { stepStatus, useHealthStore } from '../../src/renderer/features/health/health.store'
import type { VamClient, VamEventName, VamEvents } from '../../src/shared/contract'
import type { HealthPlanDto, HealthReportDto, PlanStepDto } from '../../src/shared/contract/health'
import type { JobDto } from '../../src/shared/jobs'

function job(id: number, over: Partial<JobDto> = {}): JobDto {
  return {
    id,
    kind: 'analyze',
    params: { kind: 'analyze' },
    state: 'running',
    total: 10,
    done: 4,
    failed: 0,
    skipped: 1,
    rate: 1,
    etaSeconds: 5,
    currentItem: null,
    error: null,
    dependsOn: [],
    createdAt: '2026-01-01T00:00:00Z',
    startedAt: null,
    finishedAt: null,
    ...over,
  }
}

const step = (kind: PlanStepDto['kind']): PlanStepDto => ({
  kind,
  params: { kind } as PlanStepDto['params'],
  title: kind,
  items: 3,
  reason: 'because',
  after: [],
  estimate: { seconds: 10, rate: 1, source: 'default' },
  command: `vam run ${kind}`,
})

/** A client whose health and jobs calls are recorded, with events the test can fire. */
function fakeClient() {
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const calls: string[] = []
  const plan = { steps: [step('verify'), step('analyze')] } as unknown as HealthPlanDto
  const report = { generatedAt: 'now' } as unknown as HealthReportDto
  const client = {
    health: {
      report: async (input: unknown) => {
        calls.push(`report ${JSON.stringify(input)}`)
        return report
      },
      plan: async () => plan,
      runPlan: async (input: unknown) => {
        calls.push(`runPlan ${JSON.stringify(input)}`)
        return { jobIds: [11, 12], parallel: true, maxConcurrent: 2 }
      },
      markdown: async () => '# report',
    },
    jobs: {
      start: async (input: { params: { kind: string } }) => {
        calls.push(`start ${input.params.kind}`)
        return job(21, { kind: input.params.kind as JobDto['kind'] })
      },
    },
    on<E extends VamEventName>(event: E, listener: (payload: VamEvents[E]) => void) {
      const set = listeners.get(event) ?? new Set()
      set.add(listener as (payload: unknown) => void)
      listeners.set(event, set)
      return () => set.delete(listener as (payload: unknown) => void)
    },
  }
  const fire = <E extends VamEventName>(event: E, payload: VamEvents[E]) => {
    for (const l of listeners.get(event) ?? []) l(payload)
  }
  return { client: client as unknown as VamClient, calls, fire, listeners }
}

afterEach(() => {
  setApiForTests(null)
  vi.useRealTimers()
  useHealthStore.setState({ report: null, plan: null, folder: null, started: {}, error: null })
})

describe('health store', () => {
  it('loads report and plan for the scope, runs the plan and remembers which job is which step', async () => {
    const fake = fakeClient()
    setApiForTests(fake.client)
    await useHealthStore.getState().setFolder(' /photos/2024 ')
    expect(fake.calls).toEqual(['report {"folder":"/photos/2024"}'])
    expect(useHealthStore.getState().plan?.steps).toHaveLength(2)
    await useHealthStore.getState().runPlan(true)
    expect(fake.calls.at(-1)).toBe('runPlan {"parallel":true,"folder":"/photos/2024"}')
    expect(useHealthStore.getState().started).toEqual({ verify: 11, analyze: 12 })
    await useHealthStore.getState().runKind('geohash')
    expect(fake.calls.at(-1)).toBe('start geohash')
    expect(useHealthStore.getState().started.geohash).toBe(21)
  })

  it('refreshes when a job finishes, and at most every few seconds on catalog changes', async () => {
    vi.useFakeTimers()
    const fake = fakeClient()
    setApiForTests(fake.client)
    const off = useHealthStore.getState().subscribe()
    fake.fire('jobChanged', job(1, { state: 'running' }))
    await vi.advanceTimersByTimeAsync(1000)
    expect(fake.calls).toEqual([])
    fake.fire('jobChanged', job(1, { state: 'completed' }))
    await vi.advanceTimersByTimeAsync(400)
    expect(fake.calls).toHaveLength(1)
    for (let i = 0; i < 20; i++) fake.fire('catalogChanged', { reason: 'analysis' })
    await vi.advanceTimersByTimeAsync(4500)
    expect(fake.calls).toHaveLength(2)
    off()
    expect(fake.listeners.get('jobChanged')?.size).toBe(0)
  })
})

describe(stepStatus.name, () => {
  it('follows the job started for a step, else any unfinished job of its kind', () => {
    const jobs = [
      job(5, { state: 'completed' }),
      job(6, { kind: 'verify', state: 'queued', total: 0 }),
    ]
    expect(stepStatus(step('analyze'), { analyze: 5 }, jobs)).toMatchObject({ kind: 'finished' })
    expect(stepStatus(step('analyze'), {}, jobs)).toEqual({ kind: 'idle' })
    expect(stepStatus(step('verify'), {}, jobs)).toMatchObject({ kind: 'active', fraction: null })
    expect(stepStatus(step('analyze'), { analyze: 7 }, [job(7)])).toMatchObject({
      kind: 'active',
      fraction: 0.5,
    })
  })
})
