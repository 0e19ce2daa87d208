import exifr from 'exifr'
import type { ImportedPhotoFields } from '../../shared/photos'

/**
 * exifr, wrapped once. Values stay raw (`reviveValues: false`): dates come back as the strings the
 * camera wrote, so no time-zone guess happens here (exifr would read them in the process's zone);
 * core/analysis/dates.ts interprets them. `translateValues: false` keeps Orientation numeric.
 */

/**
 * The EXIF facts the catalog keeps, already normalised to numbers/strings (camera fields as the
 * import records them), plus the raw position and dates that core/analysis validates.
 */
export interface ExifFacts extends Pick<
  ImportedPhotoFields,
  | 'make'
  | 'model'
  | 'lens'
  | 'iso'
  | 'exposureTime'
  | 'fNumber'
  | 'focalLength'
  | 'orientation'
  | 'width'
  | 'height'
  | 'gpsAlt'
> {
  readonly gpsLat: unknown
  readonly gpsLon: unknown
  readonly dateTimeOriginal: string | null
  readonly offsetTimeOriginal: string | null
  readonly createDate: string | null
  readonly offsetTimeDigitized: string | null
  readonly modifyDate: string | null
  readonly offsetTime: string | null
  readonly gpsDateStamp: string | null
  readonly gpsTimeStamp: readonly number[] | string | null
}

type Block = Record<string, unknown> | undefined

// Blocks we never use are off: their parsing is most of exifr's time on big maker notes.
type ExifrOptions = Exclude<Parameters<typeof exifr.parse>[1], boolean | undefined>

const EXIF_OPTIONS: ExifrOptions = {
  tiff: true,
  exif: true,
  gps: true,
  interop: false,
  ifd1: false,
  makerNote: false,
  userComment: false,
  xmp: false,
  icc: false,
  iptc: false,
  jfif: false,
  ihdr: true,
  translateKeys: true,
  translateValues: false,
  reviveValues: false,
  sanitize: true,
  mergeOutput: false,
}

// XMP only, as a separate pass: with mergeOutput off exifr files XMP's exif/tiff namespaces under
// the same keys as the real EXIF blocks, so mixing both in one call would let XMP strings overwrite
// EXIF numbers.
const XMP_OPTIONS: ExifrOptions = {
  tiff: false,
  exif: false,
  gps: false,
  interop: false,
  ifd1: false,
  xmp: true,
  icc: false,
  iptc: false,
  jfif: false,
  ihdr: false,
  translateValues: false,
  reviveValues: false,
  mergeOutput: false,
}

const str = (v: unknown): string | null => {
  if (typeof v !== 'string') return null
  // Cameras pad with NULs and spaces.
  const t = v.replace(/\0+$/g, '').trim()
  return t.length > 0 ? t : null
}

const num = (v: unknown): number | null => {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null
  if (Array.isArray(v) && typeof v[0] === 'number') return num(v[0])
  if (typeof v === 'string' && v.trim() !== '') {
    const frac = /^\s*(-?\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)\s*$/.exec(v)
    if (frac) return Number(frac[2]) === 0 ? null : Number(frac[1]) / Number(frac[2])
    const n = Number(v)
    return Number.isFinite(n) ? n : null
  }
  return null
}

const positiveInt = (v: unknown): number | null => {
  const n = num(v)
  return n !== null && n > 0 && Number.isInteger(n) ? n : null
}

/**
 * Reads EXIF from a buffer (the head of a file: EXIF lives in its first 64 KB for JPEG/PNG/WebP,
 * and within the first chunk for most others) or a path (exifr then reads only the chunks it
 * needs, for RAW/TIFF files whose directories can sit anywhere). Null when the file has no EXIF.
 * Throws on malformed EXIF (the caller keeps the file and logs a warning).
 */
export async function readExif(input: Buffer | string): Promise<ExifFacts | null> {
  const out = (await exifr.parse(input, EXIF_OPTIONS)) as Record<string, Block> | undefined
  if (!out) return null
  const ifd0 = out.ifd0 ?? {}
  const exif = out.exif ?? {}
  const gps = out.gps ?? {}
  const ihdr = out.ihdr ?? {}
  const altitude = num(gps.GPSAltitude)
  // GPSAltitudeRef 1 = below sea level.
  const gpsAlt = altitude === null ? null : gps.GPSAltitudeRef === 1 ? -altitude : altitude
  return {
    make: str(ifd0.Make),
    model: str(ifd0.Model),
    lens: str(exif.LensModel) ?? str(exif.LensMake) ?? str(ifd0.LensModel),
    iso: num(exif.ISO) ?? num(exif.ISOSpeedRatings) ?? num(exif.RecommendedExposureIndex),
    exposureTime: num(exif.ExposureTime),
    fNumber: num(exif.FNumber),
    focalLength: num(exif.FocalLength),
    orientation: (() => {
      const o = positiveInt(ifd0.Orientation)
      return o !== null && o <= 8 ? o : null
    })(),
    width:
      positiveInt(exif.ExifImageWidth) ??
      positiveInt(ifd0.ImageWidth) ??
      positiveInt(ihdr.ImageWidth),
    height:
      positiveInt(exif.ExifImageHeight) ??
      positiveInt(ifd0.ImageLength) ??
      positiveInt(ifd0.ImageHeight) ??
      positiveInt(ihdr.ImageHeight),
    gpsLat: gps.latitude,
    gpsLon: gps.longitude,
    gpsAlt,
    dateTimeOriginal: str(exif.DateTimeOriginal),
    offsetTimeOriginal: str(exif.OffsetTimeOriginal),
    createDate: str(exif.CreateDate),
    offsetTimeDigitized: str(exif.OffsetTimeDigitized),
    modifyDate: str(ifd0.ModifyDate),
    offsetTime: str(exif.OffsetTime),
    gpsDateStamp: str(gps.GPSDateStamp),
    gpsTimeStamp: Array.isArray(gps.GPSTimeStamp)
      ? (gps.GPSTimeStamp as number[])
      : str(gps.GPSTimeStamp),
  }
}

/** XMP capture dates, best first (exif:DateTimeOriginal, xmp:CreateDate, photoshop:DateCreated). */
export async function readXmpDates(input: Buffer | string): Promise<string[]> {
  const out = (await exifr.parse(input, XMP_OPTIONS)) as Record<string, Block> | undefined
  if (!out) return []
  const dates = [
    out.exif?.DateTimeOriginal,
    out.xmp?.CreateDate,
    out.photoshop?.DateCreated,
    out.xmp?.DateCreated,
    out.exif?.DateTimeDigitized,
  ]
  return dates.map(str).filter((d): d is string => d !== null)
}
