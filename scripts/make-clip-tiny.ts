// Writes the committed tiny CLIP model used by tests, benchmarks and demos:
//   npx tsx scripts/make-clip-tiny.ts [DIR]   (default tests/fixtures/clip-tiny)
// The model is deterministic: tests/unit/clip-tiny-fixture.test.ts checks the committed bytes
// equal a fresh generation, so the fixture cannot drift from its generator.
import { rmSync } from 'node:fs'
import path from 'node:path'
import { writeTinyClip } from '../tests/helpers/clip-tiny'

const dir = path.resolve(process.argv[2] ?? 'tests/fixtures/clip-tiny')
rmSync(dir, { recursive: true, force: true })
const tokenizer = writeTinyClip(dir)
console.log(`wrote ${dir} (vocabulary ${tokenizer.vocab.size} tokens)`)
