import {
  detectBursts,
  type BurstColumns,
  type BurstOptions,
  type DetectedBurst,
} from '../analysis/bursts'

/** Burst detection over a whole catalog in a worker (a million frames: a sort and a pass). */
export async function burstsTask(input: {
  readonly frames: BurstColumns
  readonly options: BurstOptions
}): Promise<DetectedBurst[]> {
  return detectBursts(input.frames, input.options)
}
