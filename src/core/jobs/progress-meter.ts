/**
 * Items/s over a sliding window, so the rate reflects now rather than the whole run, and ETA.
 * Pure: time is passed in.
 */
export class ProgressMeter {
  private readonly samples: { at: number; processed: number }[] = []

  constructor(private readonly windowMs = 5000) {}

  sample(atMs: number, processed: number): void {
    this.samples.push({ at: atMs, processed })
    while (this.samples.length > 2 && (this.samples[0]?.at ?? atMs) < atMs - this.windowMs) {
      this.samples.shift()
    }
  }

  rate(): number {
    const first = this.samples[0]
    const last = this.samples.at(-1)
    if (!first || !last || last.at <= first.at) return 0
    return ((last.processed - first.processed) * 1000) / (last.at - first.at)
  }

  etaSeconds(remaining: number): number | null {
    const rate = this.rate()
    if (remaining <= 0) return 0
    return rate > 0 ? remaining / rate : null
  }
}
