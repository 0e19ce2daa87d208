import { migration0001 } from './0001-core'
import { migration0002 } from './0002-analysis'
import type { Migration } from './migration'

/** Every migration in order. A feature adds its file and one line here. */
export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002]
