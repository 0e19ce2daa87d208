import type { Migration } from './migration'

/**
 * CLIP: models, image vectors and zero-shot tags. Every vector and tag carries the model_id
 * (name + content hash) it was made with: switching models keeps the old vectors (stale, never
 * searched with the new model's) instead of mixing two embedding spaces, which is what broke
 * search in the seed catalog (ViT-B/32 images queried with ViT-L/14 text).
 */
export const migration0004: Migration = {
  version: 4,
  name: 'clip',
  up(db) {
    db.exec(`
      CREATE TABLE clip_models (
        model_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        dir TEXT NOT NULL,
        dim INTEGER NOT NULL,
        -- The validated model (files, input/output names, preprocessing) as JSON.
        info TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 0,
        added_at TEXT NOT NULL,
        -- Bumped by the triggers below on every vector write or delete, from any process:
        -- an in-memory index compares it to know it is stale without counting rows.
        vectors_version INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE UNIQUE INDEX clip_models_one_active ON clip_models(active) WHERE active = 1;

      CREATE TABLE embeddings (
        photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
        model_id TEXT NOT NULL REFERENCES clip_models(model_id) ON DELETE CASCADE,
        -- dim little-endian float32 values, L2-normalised.
        vector BLOB NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (photo_id, model_id)
      ) STRICT;
      CREATE INDEX embeddings_model ON embeddings(model_id, photo_id);
      -- The in-memory index reads only the vectors written since its last load.
      CREATE INDEX embeddings_model_created ON embeddings(model_id, created_at);

      CREATE TRIGGER embeddings_inserted AFTER INSERT ON embeddings BEGIN
        UPDATE clip_models SET vectors_version = vectors_version + 1 WHERE model_id = NEW.model_id;
      END;
      CREATE TRIGGER embeddings_updated AFTER UPDATE ON embeddings BEGIN
        UPDATE clip_models SET vectors_version = vectors_version + 1 WHERE model_id = NEW.model_id;
      END;
      CREATE TRIGGER embeddings_deleted AFTER DELETE ON embeddings BEGIN
        UPDATE clip_models SET vectors_version = vectors_version + 1 WHERE model_id = OLD.model_id;
      END;

      CREATE TABLE tags (
        photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
        model_id TEXT NOT NULL REFERENCES clip_models(model_id) ON DELETE CASCADE,
        category TEXT NOT NULL,
        tag TEXT NOT NULL,
        confidence REAL NOT NULL,
        PRIMARY KEY (photo_id, model_id, category, tag)
      ) STRICT;
      -- The grid's tag filter and the tag counts.
      CREATE INDEX tags_by_tag ON tags(model_id, tag, photo_id);
    `)
  },
}
