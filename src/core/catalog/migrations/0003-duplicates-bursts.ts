import type { Migration } from './migration'

/**
 * Duplicate groups, bursts, and the log of the user's decisions about them.
 *
 * - Groups and bursts are recomputed by their jobs, but only `open` ones are replaced: `resolved`
 *   and `dismissed` rows stay as the record of what the user decided.
 * - "Not duplicates" and "keep both" become rows of `separated_pairs` and "not a burst" rows of
 *   `burst_exclusions`, keyed by photo ids, so a re-run can never bring that group back.
 * - `decisions` is the undo log: every file moved (from → to, bytes, sha256) and every row
 *   changed, as JSON. Undone decisions stay, with `undone_at` set.
 * - `removed_photos` marks photos whose files a resolution moved away. Their `photos` rows are
 *   kept (with `missing_since` set) because undo needs them.
 */
export const migration0003: Migration = {
  version: 3,
  name: 'duplicates-bursts',
  up(db) {
    db.exec(`
      CREATE TABLE decisions (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN
          ('dupes-resolve', 'dupes-dismiss', 'bursts-resolve', 'bursts-dismiss')),
        -- The group or burst when the decision is about exactly one (no foreign key: the log
        -- outlives the rows it mentions).
        group_id INTEGER,
        burst_id INTEGER,
        at TEXT NOT NULL,
        -- pending: files are being moved (a crash leaves it so; undo still works from payload).
        state TEXT NOT NULL CHECK (state IN ('pending', 'applied', 'undone')),
        summary TEXT NOT NULL,
        payload TEXT NOT NULL,
        backup_id INTEGER,
        undone_at TEXT
      ) STRICT;
      CREATE INDEX decisions_state ON decisions(state, id);

      CREATE TABLE dup_groups (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('exact', 'near')),
        -- The suggested (or user-chosen) keeper; member distances are measured to it.
        representative INTEGER REFERENCES photos(id) ON DELETE SET NULL,
        keeper_reason TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'dismissed')),
        -- Sorted member photo ids, comma-separated: the same set across runs.
        signature TEXT NOT NULL,
        low_information INTEGER NOT NULL DEFAULT 0,
        threshold INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        decided_at TEXT,
        decision_id INTEGER REFERENCES decisions(id) ON DELETE SET NULL
      ) STRICT;
      CREATE INDEX dup_groups_status ON dup_groups(status, id);
      CREATE INDEX dup_groups_signature ON dup_groups(signature);

      CREATE TABLE dup_members (
        group_id INTEGER NOT NULL REFERENCES dup_groups(id) ON DELETE CASCADE,
        photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        -- The user's decision; 'undecided' falls back to the suggestion on bulk resolve.
        role TEXT NOT NULL DEFAULT 'undecided' CHECK (role IN ('keep', 'remove', 'undecided')),
        suggested TEXT NOT NULL CHECK (suggested IN ('keep', 'remove')),
        -- keeper | copy (same checksum) | near | low-info: which rule matched.
        match TEXT NOT NULL,
        dist_ahash INTEGER,
        dist_dhash INTEGER,
        dist_phash INTEGER,
        dist_whash INTEGER,
        reason TEXT NOT NULL,
        -- One file is never twice in a group.
        PRIMARY KEY (group_id, photo_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX dup_members_photo ON dup_members(photo_id, group_id);

      CREATE TABLE bursts (
        id INTEGER PRIMARY KEY,
        camera TEXT NOT NULL,
        start_at TEXT NOT NULL,
        end_at TEXT NOT NULL,
        -- Capture times in ms (UTC-naive, as parsed from taken_at): incremental window queries.
        start_ms INTEGER NOT NULL,
        end_ms INTEGER NOT NULL,
        best_photo_id INTEGER REFERENCES photos(id) ON DELETE SET NULL,
        best_score REAL,
        best_reason TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'dismissed')),
        -- 1 when the user chose the best frame.
        user_override INTEGER NOT NULL DEFAULT 0,
        signature TEXT NOT NULL,
        created_at TEXT NOT NULL,
        decided_at TEXT,
        decision_id INTEGER REFERENCES decisions(id) ON DELETE SET NULL
      ) STRICT;
      CREATE INDEX bursts_status ON bursts(status, start_ms);
      CREATE INDEX bursts_time ON bursts(start_ms, end_ms);
      CREATE INDEX bursts_signature ON bursts(signature);

      CREATE TABLE burst_members (
        burst_id INTEGER NOT NULL REFERENCES bursts(id) ON DELETE CASCADE,
        photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        taken_at TEXT,
        score REAL,
        sharpness REAL,
        role TEXT NOT NULL DEFAULT 'undecided' CHECK (role IN ('keep', 'remove', 'undecided')),
        PRIMARY KEY (burst_id, photo_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX burst_members_photo ON burst_members(photo_id, burst_id);

      CREATE TABLE separated_pairs (
        -- photo_a < photo_b.
        photo_a INTEGER NOT NULL,
        photo_b INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('not-duplicate', 'kept-both')),
        decision_id INTEGER NOT NULL REFERENCES decisions(id) ON DELETE CASCADE,
        PRIMARY KEY (photo_a, photo_b, decision_id),
        CHECK (photo_a < photo_b)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE burst_exclusions (
        photo_id INTEGER NOT NULL,
        decision_id INTEGER NOT NULL REFERENCES decisions(id) ON DELETE CASCADE,
        PRIMARY KEY (photo_id, decision_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE removed_photos (
        photo_id INTEGER PRIMARY KEY REFERENCES photos(id) ON DELETE CASCADE,
        decision_id INTEGER NOT NULL REFERENCES decisions(id),
        removed_at TEXT NOT NULL,
        method TEXT NOT NULL CHECK (method IN ('trash', 'quarantine')),
        original_path TEXT NOT NULL,
        -- Where the file went (quarantine); null for the OS trash, which has no stable path.
        moved_to TEXT
      ) STRICT;
      CREATE INDEX removed_photos_decision ON removed_photos(decision_id);
    `)
  },
}
