import { analyzeTask } from './analyze.task'
import { importFileTask } from './import-file.task'
import { burstsTask } from './bursts.task'
import { duplicatesTask } from './duplicates.task'
import { pingTask } from './ping.task'
import { clipEmbedTask } from './clip-embed.task'

/**
 * Everything a worker process can do, by name. Tasks run inside workers (child processes under
 * Node, utilityProcess in Electron) so a native crash on a hostile file takes down one worker, not
 * the app. Inputs and outputs must be structured-clone data (Buffers and typed arrays are fine).
 * A feature adds `<name>.task.ts` and one line here.
 */
export const workerTasks = {
  ping: pingTask,
  'clip-embed': clipEmbedTask,
  'import-file': importFileTask,
  analyze: analyzeTask,
  duplicates: duplicatesTask,
  bursts: burstsTask,
} as const

export type WorkerTasks = typeof workerTasks
export type TaskName = keyof WorkerTasks
export type TaskInput<T extends TaskName> = Parameters<WorkerTasks[T]>[0]
export type TaskOutput<T extends TaskName> = Awaited<ReturnType<WorkerTasks[T]>>
