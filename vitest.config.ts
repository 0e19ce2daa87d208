import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx', 'src/**/*.test.ts'],
    // Integration tests spawn worker processes and write real SQLite files: give them room.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // 2-core machines: two test files at a time keeps worker processes from starving each other.
    maxWorkers: 2,
    env: { TZ: 'UTC' },
  },
})
