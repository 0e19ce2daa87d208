import { vi } from 'vitest'
import { runCli } from '../../src/cli/main'

/** Runs `vam …` in-process (the real CLI over a real catalog) and captures stdout and stderr. */
export async function vam(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []
  const err: string[] = []
  const outSpy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out.push(String(chunk))
    return true
  })
  const errSpy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err.push(String(chunk))
    return true
  })
  try {
    const code = await runCli(argv)
    return { code, out: out.join(''), err: err.join('') }
  } finally {
    outSpy.mockRestore()
    errSpy.mockRestore()
  }
}
