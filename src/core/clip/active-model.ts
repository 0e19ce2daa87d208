import type { Database } from 'better-sqlite3'
import path from 'node:path'
import { ClipModelRepository, modelOfRow } from '../catalog/repositories/clip-model.repository'
import { SettingsRepository } from '../catalog/repositories/settings.repository'
import { filesUnchanged, inspectModel, type ClipModel } from './model-manager'

/** What every CLIP entry point says when no model is configured. */
export const NO_MODEL_MESSAGE = 'no CLIP model set: vam model set DIR'

export class NoModelError extends Error {
  constructor() {
    super(NO_MODEL_MESSAGE)
    this.name = 'NoModelError'
  }
}

/**
 * Validates `dir`, records the model and makes it the active one (and the `clipModelDir`
 * setting). Vectors of the previous model stay in the catalog under their own model_id: stale,
 * never searched with the new model, and current again if that model is set back.
 */
export async function setActiveModel(db: Database, dir: string): Promise<ClipModel> {
  const model = await inspectModel(dir)
  const models = new ClipModelRepository(db)
  db.transaction(() => {
    models.upsert(model)
    models.activate(model.modelId)
    new SettingsRepository(db).update({ clipModelDir: model.dir })
  })()
  return model
}

/**
 * The active model for `clipModelDir` (the setting, which the Settings page may also change),
 * or null when it is empty. Cheap when nothing changed (a stat per file); a changed folder or
 * changed files are validated and hashed again, so the model_id always matches the bytes.
 */
export async function resolveActiveModel(
  db: Database,
  clipModelDir: string,
): Promise<ClipModel | null> {
  if (!clipModelDir) return null
  const row = new ClipModelRepository(db).active()
  if (row && row.dir === path.resolve(clipModelDir)) {
    const model = modelOfRow(row)
    if (filesUnchanged(model)) return model
  }
  return setActiveModel(db, clipModelDir)
}

/** Like resolveActiveModel, but a missing model is an error with the one-line fix. */
export async function requireActiveModel(db: Database, clipModelDir: string): Promise<ClipModel> {
  const model = await resolveActiveModel(db, clipModelDir)
  if (!model) throw new NoModelError()
  return model
}
