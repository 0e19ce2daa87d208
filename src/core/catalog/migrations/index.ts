import { migration0001 } from './0001-core'
import { migration0002 } from './0002-analysis'
import { migration0003 } from './0003-duplicates-bursts'
import { migration0004 } from './0004-clip'
import type { Migration } from './migration'

/** Every migration in order. A feature adds its file and one line here. */
export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004]
