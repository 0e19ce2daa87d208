import type { CliCommand } from '../command'
import { backupCommands } from './backup.command'
import { clipCommands } from './clip.command'
import { exportCommands } from './export.command'
import { healthCommands } from './health.command'
import { importCommands } from './import.command'
import { jobsCommands } from './jobs.command'
import { reviewCommands } from './review.command'
import { serveCommands } from './serve.command'
import { showCommands } from './show.command'

/** Every `vam` command. A feature adds `<feature>.command.ts` and one line here. */
export const COMMANDS: readonly CliCommand[] = [
  ...jobsCommands,
  ...backupCommands,
  ...reviewCommands,
  ...serveCommands,
  ...importCommands,
  ...exportCommands,
  ...healthCommands,
  ...clipCommands,
  ...showCommands,
]
