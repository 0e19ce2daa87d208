import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/** Prints rows as an aligned table and writes them with machine facts to bench/results/<name>.json. */
export function reportBench(name: string, rows: Record<string, string | number>[]): void {
  console.table(rows)
  const dir = path.join(import.meta.dirname, 'results')
  mkdirSync(dir, { recursive: true })
  const file = path.join(dir, `${name}.json`)
  writeFileSync(
    file,
    JSON.stringify(
      {
        name,
        at: new Date().toISOString(),
        machine: { cpus: os.availableParallelism(), node: process.version, platform: process.platform },
        rows,
      },
      null,
      2,
    ),
  )
  console.log(`results written to ${path.relative(process.cwd(), file)}`)
}
