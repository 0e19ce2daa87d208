import type * as Ort from 'onnxruntime-node'

export type OrtModule = typeof Ort
export type OrtSession = Ort.InferenceSession

let ortModule: Promise<OrtModule> | undefined

/**
 * onnxruntime-node, loaded on first use: every host imports the search service, but only hosts
 * that actually encode should pay for mapping the native runtime (~40 MB) into the process.
 */
export function loadOrt(): Promise<OrtModule> {
  ortModule ??= import('onnxruntime-node').then(
    (m) => ((m as { default?: OrtModule }).default ?? m) as OrtModule,
  )
  return ortModule
}

/**
 * Opens an ONNX model on the CPU. `threads` bounds intra-op parallelism: workers run one per
 * core already, so letting each session also spawn a thread per core would oversubscribe.
 */
export async function openSession(file: string, threads: number): Promise<OrtSession> {
  const ort = await loadOrt()
  return ort.InferenceSession.create(file, {
    executionProviders: ['cpu'],
    intraOpNumThreads: Math.max(1, Math.floor(threads)),
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  })
}

/** Shape and type of one model input or output, as the session reports it. */
export interface TensorInfo {
  readonly name: string
  readonly type: string
  readonly shape: readonly (number | string)[]
}

export function inputsOf(session: OrtSession): TensorInfo[] {
  return session.inputMetadata.map(describe)
}

export function outputsOf(session: OrtSession): TensorInfo[] {
  return session.outputMetadata.map(describe)
}

function describe(meta: OrtSession['inputMetadata'][number]): TensorInfo {
  return meta.isTensor
    ? { name: meta.name, type: meta.type, shape: [...meta.shape] }
    : { name: meta.name, type: 'non-tensor', shape: [] }
}

/** `[batch_size,3,224,224]`: how shapes appear in messages. */
export function formatShape(shape: readonly (number | string)[]): string {
  return `[${shape.map((d) => (typeof d === 'number' && d >= 0 ? String(d) : String(d) || '?')).join(',')}]`
}
