import type { Database } from 'better-sqlite3'
import type { ClipModel } from '../../clip/model-manager'

export interface ClipModelRow {
  model_id: string
  name: string
  dir: string
  dim: number
  info: string
  active: number
  added_at: string
  vectors_version: number
}

/** The CLIP models ever set on this catalog; at most one is active. */
export class ClipModelRepository {
  constructor(private readonly db: Database) {}

  /** Records (or refreshes) a validated model. Does not change which model is active. */
  upsert(model: ClipModel, at = new Date().toISOString()): void {
    this.db
      .prepare(
        `INSERT INTO clip_models (model_id, name, dir, dim, info, active, added_at)
         VALUES (@modelId, @name, @dir, @dim, @info, 0, @at)
         ON CONFLICT(model_id) DO UPDATE SET name = excluded.name, dir = excluded.dir,
           dim = excluded.dim, info = excluded.info`,
      )
      .run({
        modelId: model.modelId,
        name: model.name,
        dir: model.dir,
        dim: model.dim,
        info: JSON.stringify(model),
        at,
      })
  }

  /** Makes `modelId` the only active model (the others' vectors stay, keyed by their id). */
  activate(modelId: string): void {
    this.db.transaction(() => {
      this.db.prepare('UPDATE clip_models SET active = 0 WHERE active = 1').run()
      this.db.prepare('UPDATE clip_models SET active = 1 WHERE model_id = ?').run(modelId)
    })()
  }

  active(): ClipModelRow | undefined {
    return this.db.prepare('SELECT * FROM clip_models WHERE active = 1').get() as
      ClipModelRow | undefined
  }

  get(modelId: string): ClipModelRow | undefined {
    return this.db.prepare('SELECT * FROM clip_models WHERE model_id = ?').get(modelId) as
      ClipModelRow | undefined
  }

  list(): ClipModelRow[] {
    return this.db.prepare('SELECT * FROM clip_models ORDER BY added_at').all() as ClipModelRow[]
  }

  /** Changes on every vector write/delete of the model (triggers in migration 0004). */
  vectorsVersion(modelId: string): number {
    const row = this.db
      .prepare('SELECT vectors_version AS v FROM clip_models WHERE model_id = ?')
      .get(modelId) as { v: number } | undefined
    return row?.v ?? -1
  }
}

/** The stored model, as validated when it was set. */
export function modelOfRow(row: ClipModelRow): ClipModel {
  return JSON.parse(row.info) as ClipModel
}
