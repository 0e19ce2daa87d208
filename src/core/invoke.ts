import { contract, type ServiceName, type VamImpl } from '../shared/contract'

/** A call rejected at the boundary: unknown method or invalid argument. */
export class ContractError extends Error {
  constructor(
    readonly code: 'unknown_method' | 'invalid_argument',
    message: string,
  ) {
    super(message)
    this.name = 'ContractError'
  }
}

/**
 * Validates `input` against the contract schema of `service.method` and calls the implementation.
 * Hosts call this with whatever arrived over IPC/HTTP.
 */
export async function invokeMethod(
  impl: VamImpl,
  service: string,
  methodName: string,
  input: unknown,
): Promise<unknown> {
  if (!Object.hasOwn(contract, service)) {
    throw new ContractError('unknown_method', `unknown service "${service}"`)
  }
  const spec = contract[service as ServiceName] as Record<string, { input: { safeParse(v: unknown): { success: boolean; data?: unknown; error?: { message: string } } } }>
  if (!Object.hasOwn(spec, methodName)) {
    throw new ContractError('unknown_method', `unknown method "${service}.${methodName}"`)
  }
  const parsed = spec[methodName]?.input.safeParse(input ?? {})
  if (!parsed?.success) {
    throw new ContractError(
      'invalid_argument',
      `invalid argument for ${service}.${methodName}: ${parsed?.error?.message ?? 'unknown'}`,
    )
  }
  const fn = (impl[service as ServiceName] as Record<string, (i: unknown) => unknown>)[methodName]
  if (typeof fn !== 'function') throw new ContractError('unknown_method', `not implemented: ${service}.${methodName}`)
  return await fn(parsed.data)
}
