/** Health check of a worker; `crash` makes the worker die mid-task (tests of crash handling). */
export async function pingTask(input: {
  readonly echo: string
  readonly crash?: boolean
  readonly delayMs?: number
}): Promise<{ readonly echo: string; readonly pid: number }> {
  if (input.delayMs) await new Promise((resolve) => setTimeout(resolve, input.delayMs))
  if (input.crash) process.exit(70)
  return { echo: input.echo, pid: process.pid }
}
