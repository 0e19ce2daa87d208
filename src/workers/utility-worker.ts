import type { WorkerRequest } from '../core/jobs/worker-protocol'
import { serveTasks } from './serve-tasks'

// Electron utilityProcess entry (forked by src/main/utility-spawn.ts). Same tasks as the Node
// worker; only the transport differs: messages arrive on process.parentPort as MessageEvents.
// Chromium ends utility processes with the app, so there is no parent-gone handling here.
const port = process.parentPort
serveTasks(
  (handler) => port.on('message', (event) => handler(event.data as WorkerRequest)),
  (message) => port.postMessage(message),
)
