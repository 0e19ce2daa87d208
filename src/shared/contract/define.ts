import type { z } from 'zod'

/**
 * One method of the API contract: a zod schema for its single argument (validated at every host
 * boundary) and, at the type level only, its result. Methods take one object argument so the same
 * call travels unchanged over IPC, HTTP and in-process.
 */
export interface Method<I extends z.ZodType, O> {
  readonly input: I
  /** Phantom: carries the result type; never set at runtime. */
  readonly __output?: O
}

/** `method<Result>()(InputSchema)` declares a contract method. */
export function method<O>() {
  return <I extends z.ZodType>(input: I): Method<I, O> => ({ input })
}

/** A service: a group of methods under one name (`photos`, `jobs`, …). */
export type ServiceSpec = Record<string, Method<z.ZodType, unknown>>

/** The client-side shape of a service: every method async, taking the schema's input type. */
export type ServiceApi<S extends ServiceSpec> = {
  readonly [M in keyof S]: S[M] extends Method<infer I, infer O>
    ? (input: z.input<I>) => Promise<O>
    : never
}

/** The implementation side: receives the parsed (output) type of the schema. */
export type ServiceImpl<S extends ServiceSpec> = {
  readonly [M in keyof S]: S[M] extends Method<infer I, infer O>
    ? (input: z.output<I>) => O | Promise<O>
    : never
}
