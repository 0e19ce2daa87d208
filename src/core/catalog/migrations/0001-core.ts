import type { Migration } from './migration'

/**
 * The foundation tables: photos, per-item errors, jobs and their events, backups, settings.
 * STRICT tables so a wrong type is an error, not a silent conversion.
 */
export const migration0001: Migration = {
  version: 1,
  name: 'core',
  up(db) {
    db.exec(`
      CREATE TABLE photos (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        folder TEXT NOT NULL,
        name TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime_ms INTEGER NOT NULL,
        checksum TEXT,
        media_kind TEXT,
        format TEXT,
        raw_format TEXT,
        width INTEGER,
        height INTEGER,
        orientation INTEGER,
        taken_at TEXT,
        date_source TEXT,
        date_confidence INTEGER,
        date_suspicious TEXT,
        tz_offset TEXT,
        make TEXT,
        model TEXT,
        lens TEXT,
        iso REAL,
        exposure_time REAL,
        f_number REAL,
        focal_length REAL,
        gps_lat REAL,
        gps_lon REAL,
        gps_alt REAL,
        gps_suspicious TEXT,
        geohash TEXT,
        imported_at TEXT NOT NULL,
        missing_since TEXT
      ) STRICT;
      CREATE INDEX photos_taken_at ON photos(taken_at, id);
      CREATE INDEX photos_folder ON photos(folder, taken_at);
      CREATE INDEX photos_camera ON photos(make, model, taken_at);
      CREATE INDEX photos_checksum ON photos(checksum);
      CREATE INDEX photos_geohash ON photos(geohash) WHERE geohash IS NOT NULL;
      CREATE INDEX photos_has_gps ON photos(taken_at) WHERE gps_lat IS NOT NULL;
      CREATE INDEX photos_missing ON photos(missing_since) WHERE missing_since IS NOT NULL;
      CREATE INDEX photos_name ON photos(name, id);
      CREATE INDEX photos_size ON photos(size, id);
      CREATE INDEX photos_imported ON photos(imported_at, id);

      CREATE TABLE jobs (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        params TEXT NOT NULL,
        state TEXT NOT NULL,
        total INTEGER NOT NULL DEFAULT 0,
        done INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0,
        skipped INTEGER NOT NULL DEFAULT 0,
        cursor TEXT,
        current_item TEXT,
        error TEXT,
        depends_on TEXT NOT NULL DEFAULT '[]',
        -- A request from another process (e.g. \`vam jobs cancel\` while \`vam import\` runs):
        -- the running engine reads it at its next checkpoint.
        requested TEXT,
        -- The process running the job: on open, running jobs whose owner is dead are interrupted
        -- (a live owner, e.g. the app while the CLI opens the same catalog, keeps its jobs).
        owner_pid INTEGER,
        created_at TEXT NOT NULL,
        started_at TEXT,
        finished_at TEXT,
        -- Seconds spent running, summed over resumes: rate = processed / active_seconds.
        active_seconds REAL NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX jobs_state ON jobs(state);
      CREATE INDEX jobs_kind ON jobs(kind, finished_at);

      CREATE TABLE job_events (
        id INTEGER PRIMARY KEY,
        job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        level TEXT NOT NULL,
        message TEXT NOT NULL
      ) STRICT;
      CREATE INDEX job_events_job ON job_events(job_id, id);

      CREATE TABLE item_errors (
        id INTEGER PRIMARY KEY,
        photo_id INTEGER REFERENCES photos(id) ON DELETE SET NULL,
        path TEXT NOT NULL,
        job_id INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
        stage TEXT NOT NULL,
        code TEXT NOT NULL,
        message TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 1,
        at TEXT NOT NULL,
        -- One open error per item and stage; a retry bumps attempts instead of adding rows.
        UNIQUE(path, stage)
      ) STRICT;
      CREATE INDEX item_errors_photo ON item_errors(photo_id);
      CREATE INDEX item_errors_code ON item_errors(stage, code);
      CREATE INDEX item_errors_job ON item_errors(job_id);

      CREATE TABLE backups (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL,
        reason TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        verified INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `)
  },
}
