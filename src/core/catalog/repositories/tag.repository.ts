import type { Database } from 'better-sqlite3'
import type { PhotoTagDto, Taxonomy } from '../../../shared/contract/search'
import { SettingsRepository } from './settings.repository'

/** Settings key of the editable taxonomy (internal state, not a user setting of Settings). */
const TAXONOMY_KEY = 'clip.taxonomy'

/** Zero-shot tags per (photo, model), and the taxonomy they come from. */
export class TagRepository {
  constructor(private readonly db: Database) {}

  /** Replaces the tags of these photos for the model. Call inside a batch transaction. */
  replaceForPhotos(
    modelId: string,
    items: readonly { photoId: number; tags: readonly PhotoTagDto[] }[],
  ): void {
    const clear = this.db.prepare('DELETE FROM tags WHERE photo_id = ? AND model_id = ?')
    const insert = this.db.prepare(
      'INSERT INTO tags (photo_id, model_id, category, tag, confidence) VALUES (?, ?, ?, ?, ?)',
    )
    for (const { photoId, tags } of items) {
      clear.run(photoId, modelId)
      for (const t of tags) insert.run(photoId, modelId, t.category, t.tag, t.confidence)
    }
  }

  /** Drops every tag of a model (before re-scoring a changed taxonomy). */
  clearModel(modelId: string): void {
    this.db.prepare('DELETE FROM tags WHERE model_id = ?').run(modelId)
  }

  forPhoto(photoId: number, modelId: string): PhotoTagDto[] {
    return this.db
      .prepare(
        'SELECT tag, category, confidence FROM tags WHERE photo_id = ? AND model_id = ? ORDER BY confidence DESC',
      )
      .all(photoId, modelId) as PhotoTagDto[]
  }

  counts(modelId: string): { tag: string; category: string; count: number }[] {
    return this.db
      .prepare(
        `SELECT tag, category, COUNT(*) AS count FROM tags WHERE model_id = ?
         GROUP BY category, tag ORDER BY count DESC, tag`,
      )
      .all(modelId) as { tag: string; category: string; count: number }[]
  }

  /** The stored taxonomy, or undefined when the user never edited the default. */
  taxonomy(): Taxonomy | undefined {
    return new SettingsRepository(this.db).getValue<Taxonomy>(TAXONOMY_KEY)
  }

  setTaxonomy(taxonomy: Taxonomy): void {
    new SettingsRepository(this.db).setValue(TAXONOMY_KEY, taxonomy)
  }
}
