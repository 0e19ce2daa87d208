import type { ItemErrorCode } from '../../shared/jobs'

/** An error about one item (file), with the code recorded in item_errors. */
export class ItemError extends Error {
  constructor(
    readonly code: ItemErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'ItemError'
  }
}

/** An error as it crosses a process boundary: plain data. */
export interface SerializedError {
  readonly name: string
  readonly message: string
  readonly stack?: string
  readonly code?: ItemErrorCode
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof ItemError) {
    return { name: error.name, message: error.message, stack: error.stack, code: error.code }
  }
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack }
  return { name: 'Error', message: String(error) }
}

/** Rebuilds an error sent by a worker; ItemErrors keep their code. */
export function deserializeError(error: SerializedError): Error {
  const rebuilt = error.code ? new ItemError(error.code, error.message) : new Error(error.message)
  rebuilt.name = error.name
  if (error.stack) rebuilt.stack = error.stack
  return rebuilt
}

/** The item-error code for any error (ItemError's own, otherwise `internal`). */
export function codeOf(error: unknown): ItemErrorCode {
  return error instanceof ItemError ? error.code : 'internal'
}
