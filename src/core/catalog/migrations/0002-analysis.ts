import type { Migration } from './migration'

/**
 * What the analyze job derives from one decode of each photo: thumbnails (files in the cache dir),
 * the four perceptual hashes, and the quality score with its parts.
 *
 * "Current" is always decided from these rows, never from flags: a row counts when its version is
 * the code's current version and its source_mtime_ms equals the photo's mtime_ms (the file was not
 * edited since), and for thumbnails when the file is still on disk.
 *
 * Hashes are signed 64-bit INTEGERs holding imagehash's 64 bits (read with safeIntegers() to get
 * BigInts; see analysis/hashes.ts signedToHash/hashToHex): 8 bytes each, no parsing on load.
 */
export const migration0002: Migration = {
  version: 2,
  name: 'analysis',
  up(db) {
    db.exec(`
      CREATE TABLE thumbnails (
        photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
        -- Long side in px: 256 (grid) or 1024 (preview).
        size INTEGER NOT NULL,
        -- Relative to the catalog's cache dir, so the cache can move (setting thumbnailDir).
        path TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        format TEXT NOT NULL,
        version INTEGER NOT NULL,
        source_mtime_ms INTEGER,
        created_at TEXT NOT NULL,
        PRIMARY KEY (photo_id, size)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX thumbnails_version ON thumbnails(version, photo_id);

      CREATE TABLE hashes (
        photo_id INTEGER PRIMARY KEY REFERENCES photos(id) ON DELETE CASCADE,
        ahash INTEGER NOT NULL,
        dhash INTEGER NOT NULL,
        phash INTEGER NOT NULL,
        whash INTEGER NOT NULL,
        algo_version INTEGER NOT NULL,
        -- Near-uniform image (see analysis/hashes.ts isLowInformation): needs stricter evidence.
        low_information INTEGER NOT NULL,
        -- Mean and standard deviation of the 32x32 greyscale behind pHash (0–255).
        grey_mean REAL NOT NULL,
        grey_stddev REAL NOT NULL,
        source_mtime_ms INTEGER,
        computed_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX hashes_version ON hashes(algo_version, photo_id);

      CREATE TABLE quality (
        photo_id INTEGER PRIMARY KEY REFERENCES photos(id) ON DELETE CASCADE,
        score REAL NOT NULL,
        -- Variance of the Laplacian at 512 px.
        sharpness REAL NOT NULL,
        -- Exposure sub-score 0–1, and its inputs.
        exposure REAL NOT NULL,
        clipped_high REAL NOT NULL,
        clipped_low REAL NOT NULL,
        mean_luminance REAL NOT NULL,
        -- Estimated noise sigma in grey levels.
        noise REAL NOT NULL,
        -- Megapixels of the original.
        resolution REAL NOT NULL,
        -- JSON: { part: { value, weight, points } } (analysis/quality.ts).
        parts TEXT NOT NULL,
        explanation TEXT NOT NULL,
        version INTEGER NOT NULL,
        source_mtime_ms INTEGER,
        computed_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX quality_version ON quality(version, photo_id);
      CREATE INDEX quality_score ON quality(score, photo_id);
    `)
  },
}
