#!/usr/bin/env node
import { runCli } from './main'

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(`vam: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 1
  },
)
