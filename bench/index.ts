/**
 * `npm run bench -- <name> [options]`: runs one benchmark (or all with no name). Each benchmark
 * prints a table and writes JSON to bench/results/. A benchmark adds one line to BENCHES.
 */
type Bench = () => Promise<unknown>

const BENCHES: Record<string, () => Promise<{ run: Bench }>> = {
  jobs: () => import('./jobs.bench'),
  ui: () => import('./ui.bench'),
  dupes: () => import('./dupes.bench'),
  analyze: () => import('./analyze.bench'),
  search: () => import('./search.bench'),
  import: () => import('./import.bench'),
  health: () => import('./health.bench'),
}

async function main(): Promise<void> {
  const name = process.argv[2]
  const names = name ? [name] : Object.keys(BENCHES)
  for (const n of names) {
    const load = BENCHES[n]
    if (!load) {
      console.error(`unknown benchmark "${n}"; available: ${Object.keys(BENCHES).join(', ')}`)
      process.exitCode = 2
      return
    }
    console.log(`\n=== bench ${n} ===`)
    await (await load()).run()
  }
}

await main()

export {}
