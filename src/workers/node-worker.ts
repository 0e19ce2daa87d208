import type { WorkerRequest } from '../core/jobs/worker-protocol'
import { serveTasks } from './serve-tasks'

// Node child-process entry (CLI, web host, tests). Exits when the parent goes away.
serveTasks(
  (handler) => process.on('message', (m) => handler(m as WorkerRequest)),
  (message) => process.send?.(message),
)
process.on('disconnect', () => process.exit(0))
