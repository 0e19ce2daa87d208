import type { DateSource } from '../../shared/photos'

/**
 * Capture-date resolution: every place a date can come from, best first, each with a confidence
 * (the seed catalog's rules, kept so health reports stay comparable):
 *
 *   EXIF DateTimeOriginal 95 · EXIF CreateDate 95 · other EXIF dates (ModifyDate) 85 · XMP 80 ·
 *   a date in the file name 70 · in a folder name 50 · the file's mtime 30.
 *
 * Dates are stored as local wall-clock time 'YYYY-MM-DDTHH:MM:SS' (what the camera showed, sortable
 * as text); the UTC offset goes to tz_offset when the file tells it (EXIF OffsetTime*, an ISO
 * suffix, or the GPS clock which is UTC). Suspicious dates (in the future, before 1990, a camera's
 * reset default like 1970/1980/2000-01-01) are flagged in `suspicious`; a reset default or a future
 * date also loses to the next plausible source.
 *
 * Pure: no I/O, `now` passed in.
 */

/** Everything a file offers; absent values are null/undefined. */
export interface DateEvidence {
  /** EXIF DateTimeOriginal, raw ('YYYY:MM:DD HH:MM:SS'). */
  readonly exifOriginal?: string | null
  readonly exifOriginalOffset?: string | null
  /** EXIF CreateDate (DateTimeDigitized). */
  readonly exifCreate?: string | null
  readonly exifCreateOffset?: string | null
  /** EXIF ModifyDate (IFD0 DateTime). */
  readonly exifModify?: string | null
  readonly exifModifyOffset?: string | null
  /** GPS date and time (UTC), used only to infer a missing offset. */
  readonly gpsDateStamp?: string | null
  readonly gpsTimeStamp?: readonly number[] | string | null
  /** XMP dates (ISO 8601, best first: exif:DateTimeOriginal, xmp:CreateDate, photoshop:DateCreated). */
  readonly xmp?: readonly (string | null | undefined)[]
  /** The file name without folders. */
  readonly fileName?: string
  /** The file's folder (absolute path). */
  readonly folder?: string
  /** File modification time, ms since the epoch. */
  readonly mtimeMs?: number | null
}

export type DateSuspicion = 'future' | 'before-1990' | 'default-date'

/** The chosen capture date. */
export interface ResolvedDate {
  /** Local wall-clock time, 'YYYY-MM-DDTHH:MM:SS'. */
  readonly takenAt: string
  readonly source: DateSource
  readonly confidence: number
  /** '+HH:MM' / '-HH:MM' when known. */
  readonly tzOffset: string | null
  readonly suspicious: DateSuspicion | null
}

export const DATE_CONFIDENCE: { readonly [S in DateSource]: number } = {
  'exif-original': 95,
  'exif-create': 95,
  'exif-other': 85,
  xmp: 80,
  filename: 70,
  folder: 50,
  'file-mtime': 30,
}

/** Broken-down local date/time. */
interface Parts {
  readonly y: number
  readonly mo: number
  readonly d: number
  readonly h: number
  readonly mi: number
  readonly s: number
}

interface Candidate {
  readonly parts: Parts
  readonly source: DateSource
  readonly confidence: number
  readonly tzOffset: string | null
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

export function formatLocal(p: Parts): string {
  return `${pad(p.y, 4)}-${pad(p.mo)}-${pad(p.d)}T${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}`
}

function daysInMonth(y: number, mo: number): number {
  return new Date(Date.UTC(y, mo, 0)).getUTCDate()
}

/** A real calendar date and time (rejects 0000:00:00, month 13, Feb 30, hour 25…). */
function validParts(p: Parts): boolean {
  return (
    Number.isInteger(p.y) &&
    p.y >= 1800 &&
    p.y <= 2200 &&
    p.mo >= 1 &&
    p.mo <= 12 &&
    p.d >= 1 &&
    p.d <= daysInMonth(p.y, p.mo) &&
    p.h >= 0 &&
    p.h <= 23 &&
    p.mi >= 0 &&
    p.mi <= 59 &&
    // 60: a leap second as some cameras write it.
    p.s >= 0 &&
    p.s <= 60
  )
}

/** Normalises '+2', '+0200', '+02:00', 'Z' to '+HH:MM'; null when not an offset. */
export function normalizeOffset(raw: string | null | undefined): string | null {
  if (!raw) return null
  const text = raw.trim()
  if (text === 'Z' || text === 'z') return '+00:00'
  const m = /^([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(text)
  if (!m) return null
  const hours = Number(m[2])
  const minutes = Number(m[3] ?? '0')
  if (hours > 14 || minutes > 59) return null
  return `${m[1]}${pad(hours)}:${pad(minutes)}`
}

/**
 * Parses an EXIF ('2019:04:12 15:30:12', optional sub-seconds and offset) or ISO 8601
 * ('2019-04-12T15:30:12+02:00') date. Date-only values get midnight. Null when not a real date
 * (cameras write '0000:00:00 00:00:00' or blanks when their clock is unset).
 */
export function parseDateTime(
  raw: string | null | undefined,
): { parts: Parts; offset: string | null } | null {
  if (typeof raw !== 'string') return null
  const m =
    /^\s*(\d{4})[:\-/.](\d{1,2})[:\-/.](\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?\s*(Z|[+-]\d{1,2}(?::?\d{2})?)?)?\s*$/i.exec(
      raw,
    )
  if (!m) return null
  const parts: Parts = {
    y: Number(m[1]),
    mo: Number(m[2]),
    d: Number(m[3]),
    h: Number(m[4] ?? 0),
    mi: Number(m[5] ?? 0),
    s: Number(m[6] ?? 0),
  }
  if (!validParts(parts)) return null
  return { parts: parts.s === 60 ? { ...parts, s: 59 } : parts, offset: normalizeOffset(m[7]) }
}

function partsFromDate(date: Date): Parts {
  return {
    y: date.getFullYear(),
    mo: date.getMonth() + 1,
    d: date.getDate(),
    h: date.getHours(),
    mi: date.getMinutes(),
    s: date.getSeconds(),
  }
}

/** The local UTC offset at an instant, as '+HH:MM' (the process's time zone). */
function localOffsetAt(date: Date): string {
  const minutes = -date.getTimezoneOffset()
  const sign = minutes < 0 ? '-' : '+'
  const abs = Math.abs(minutes)
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}

/** Compact `YYYYMMDD[_-]HHMMSS[mmm]`: IMG_20190412_153012, PXL_20230101_120000123, 20190412_153012. */
const COMPACT_DATETIME =
  /(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})[_\- T]?(\d{2})(\d{2})(\d{2})(?:\d{1,3})?(?!\d)/
/**
 * Separated: '2019-04-12 15.30.12', 'Screenshot_2019-04-12-15-30-12', 'Screenshot 2019-04-12 at
 * 15.30.12', '2019-04-12_15-30-12'.
 */
const SEPARATED_DATETIME =
  /(?<!\d)((?:19|20)\d{2})[-_.](\d{2})[-_.](\d{2})(?:[ _\-T]+(?:at[ _]?)?(\d{2})[-_.:h ](\d{2})[-_.:m ](\d{2}))?(?!\d)/
/** Date only, compact, with something non-digit around it: IMG-20190412-WA0001, Screenshot_20190412. */
const COMPACT_DATE = /(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})(?!\d)/
/** Milliseconds since the epoch in a name (many phone apps): 1555083012345.jpg. */
const EPOCH_MS = /(?<!\d)(1[0-9]{12})(?!\d)/

/** A date (and time when present) in a file name; null when none is there. */
export function dateFromFileName(fileName: string, nowMs = Date.now()): Parts | null {
  const stem = fileName.replace(/\.[^.]+$/, '')
  const tries: (() => Parts | null)[] = [
    () => {
      const m = COMPACT_DATETIME.exec(stem)
      return m ? partsOf(m[1], m[2], m[3], m[4], m[5], m[6]) : null
    },
    () => {
      const m = SEPARATED_DATETIME.exec(stem)
      return m ? partsOf(m[1], m[2], m[3], m[4], m[5], m[6]) : null
    },
    () => {
      const m = COMPACT_DATE.exec(stem)
      return m ? partsOf(m[1], m[2], m[3]) : null
    },
    () => {
      const m = EPOCH_MS.exec(stem)
      if (!m) return null
      const ms = Number(m[1])
      // Only plausible instants: 2001-09-09 (the first 13-digit ms) up to now.
      if (ms > nowMs) return null
      return partsFromDate(new Date(ms))
    },
  ]
  for (const attempt of tries) {
    const parts = attempt()
    if (parts) return parts
  }
  return null
}

function partsOf(
  y: string | undefined,
  mo: string | undefined,
  d: string | undefined,
  h?: string,
  mi?: string,
  s?: string,
): Parts | null {
  const parts: Parts = {
    y: Number(y),
    mo: Number(mo),
    d: Number(d),
    h: Number(h ?? 0),
    mi: Number(mi ?? 0),
    s: Number(s ?? 0),
  }
  return validParts(parts) ? parts : null
}

/** A folder-derived date and the period it covers (to check a file time against it). */
export interface FolderDate {
  readonly parts: Parts
  readonly precision: 'year' | 'month' | 'day'
}

const YEAR_COMPONENT = /^((?:19|20)\d{2})$/
const MONTH_COMPONENT = /^(0?[1-9]|1[0-2])(?:\D.*)?$/
const DAY_COMPONENT = /^(0?[1-9]|[12]\d|3[01])(?:\D.*)?$/
/** '2019-04 Holiday', '2019_04_12 Party', '2019.04', '20190412 Trip'. */
const DATED_COMPONENT =
  /^((?:19|20)\d{2})[-_. ]?(0[1-9]|1[0-2])(?:[-_. ]?(0[1-9]|[12]\d|3[01]))?(?!\d)/

/**
 * A date in the folder path, deepest folder first: '/2019/04/12/', '/2019/04/', '/2019/',
 * '/2019-04 Holiday/', '/2019-04-12 Party/'. Null when none.
 */
export function dateFromFolder(folder: string): FolderDate | null {
  const parts = folder.split(/[\\/]+/).filter((p) => p.length > 0)
  for (let i = parts.length - 1; i >= 0; i--) {
    const name = parts[i] as string
    const dated = DATED_COMPONENT.exec(name)
    if (dated) {
      const date = partsOf(dated[1], dated[2], dated[3] ?? '1')
      if (date) return { parts: date, precision: dated[3] ? 'day' : 'month' }
    }
    if (YEAR_COMPONENT.test(name)) {
      // '/2019/04/12/' style: read the components below the year.
      const month = MONTH_COMPONENT.exec(parts[i + 1] ?? '')
      const day = month ? DAY_COMPONENT.exec(parts[i + 2] ?? '') : null
      const date = partsOf(name, month?.[1] ?? '1', day?.[1] ?? '1')
      if (date) return { parts: date, precision: day ? 'day' : month ? 'month' : 'year' }
    }
  }
  return null
}

function withinFolderPeriod(folder: FolderDate, p: Parts): boolean {
  if (p.y !== folder.parts.y) return false
  if (folder.precision === 'year') return true
  if (p.mo !== folder.parts.mo) return false
  return folder.precision === 'month' || p.d === folder.parts.d
}

/** Why a date looks wrong, or null. */
export function dateSuspicion(p: Parts, nowMs: number): DateSuspicion | null {
  const md = p.mo === 1 && p.d === 1
  // Camera/OS reset defaults: the Unix epoch, the FAT/DOS epoch, the Y2K default of many cameras.
  if (md && (p.y === 1970 || p.y === 1980 || p.y === 2000)) return 'default-date'
  if (p.y < 1990) return 'before-1990'
  // A day of slack: a local wall-clock time can be ahead of `now` in UTC by up to 14 hours.
  const asUtc = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s)
  if (asUtc > nowMs + 86_400_000) return 'future'
  return null
}

/**
 * The UTC offset implied by a local time and the GPS clock (UTC) of the same shot, rounded to the
 * quarter hour (all real zones are); null when the two are too far apart to be the same moment.
 */
export function offsetFromGps(
  local: Parts,
  gpsDateStamp: string | null | undefined,
  gpsTimeStamp: readonly number[] | string | null | undefined,
): string | null {
  const date = parseDateTime(gpsDateStamp ?? null)
  if (!date || gpsTimeStamp == null) return null
  const hms =
    typeof gpsTimeStamp === 'string'
      ? gpsTimeStamp.split(':').map(Number)
      : gpsTimeStamp.map(Number)
  const [h = NaN, mi = NaN, s = 0] = hms
  if (![h, mi, s].every(Number.isFinite)) return null
  const utc = Date.UTC(date.parts.y, date.parts.mo - 1, date.parts.d, h, mi, Math.floor(s))
  const wall = Date.UTC(local.y, local.mo - 1, local.d, local.h, local.mi, local.s)
  const minutes = Math.round((wall - utc) / 60_000 / 15) * 15
  if (Math.abs(minutes) > 14 * 60) return null
  // A GPS fix can lag the shutter; more than 10 minutes off the quarter hour means different moments.
  if (Math.abs((wall - utc) / 60_000 - minutes) > 10) return null
  const sign = minutes < 0 ? '-' : '+'
  const abs = Math.abs(minutes)
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}

/** Every candidate in priority order. */
function candidatesOf(e: DateEvidence, nowMs: number): Candidate[] {
  const out: Candidate[] = []
  const exif = (
    raw: string | null | undefined,
    offset: string | null | undefined,
    source: DateSource,
  ) => {
    const parsed = parseDateTime(raw)
    if (!parsed) return
    const tz =
      normalizeOffset(offset) ??
      parsed.offset ??
      offsetFromGps(parsed.parts, e.gpsDateStamp, e.gpsTimeStamp)
    out.push({ parts: parsed.parts, source, confidence: DATE_CONFIDENCE[source], tzOffset: tz })
  }
  exif(e.exifOriginal, e.exifOriginalOffset, 'exif-original')
  exif(e.exifCreate, e.exifCreateOffset, 'exif-create')
  exif(e.exifModify, e.exifModifyOffset, 'exif-other')
  for (const raw of e.xmp ?? []) {
    const parsed = parseDateTime(raw)
    if (parsed) {
      out.push({
        parts: parsed.parts,
        source: 'xmp',
        confidence: DATE_CONFIDENCE.xmp,
        tzOffset: parsed.offset,
      })
    }
  }
  if (e.fileName) {
    const parts = dateFromFileName(e.fileName, nowMs)
    if (parts)
      out.push({ parts, source: 'filename', confidence: DATE_CONFIDENCE.filename, tzOffset: null })
  }
  const folder = e.folder ? dateFromFolder(e.folder) : null
  const mtime =
    e.mtimeMs != null && Number.isFinite(e.mtimeMs) && e.mtimeMs > 0 ? new Date(e.mtimeMs) : null
  if (folder) {
    if (mtime && withinFolderPeriod(folder, partsFromDate(mtime))) {
      // The folder says "April 2019" and the file time falls in April 2019: the file time is the
      // more precise of the two and the folder corroborates it, so it earns the folder's confidence.
      out.push({
        parts: partsFromDate(mtime),
        source: 'file-mtime',
        confidence: DATE_CONFIDENCE.folder,
        tzOffset: localOffsetAt(mtime),
      })
    } else {
      out.push({
        parts: folder.parts,
        source: 'folder',
        confidence: DATE_CONFIDENCE.folder,
        tzOffset: null,
      })
    }
  }
  if (mtime) {
    out.push({
      parts: partsFromDate(mtime),
      source: 'file-mtime',
      confidence: DATE_CONFIDENCE['file-mtime'],
      tzOffset: localOffsetAt(mtime),
    })
  }
  return out
}

/**
 * Picks the capture date: the best candidate that is not clearly wrong, else the best one. A
 * camera reset default or a future date loses to the next source; a date before 1990 is kept
 * (scans of old prints carry real ones) but flagged like every doubtful choice.
 */
export function resolveDate(evidence: DateEvidence, nowMs = Date.now()): ResolvedDate | null {
  const candidates = candidatesOf(evidence, nowMs)
  const first = candidates[0]
  if (!first) return null
  const usable = candidates.find((c) => {
    const why = dateSuspicion(c.parts, nowMs)
    return why !== 'default-date' && why !== 'future'
  })
  const chosen = usable ?? first
  return {
    takenAt: formatLocal(chosen.parts),
    source: chosen.source,
    confidence: chosen.confidence,
    tzOffset: chosen.tzOffset,
    suspicious: dateSuspicion(chosen.parts, nowMs),
  }
}
