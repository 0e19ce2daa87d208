import type { MediaFormat, MediaKind } from '../../shared/photos'

/**
 * Recognises media files by their first bytes; the extension only breaks ties between formats
 * that share a container (TIFF-based RAWs, MP4 vs MOV).
 *
 * Which files become import items (decided here so the walk, the task and the tests agree):
 * - a file whose extension claims a media type (MEDIA_EXTENSIONS) is always an item: if its bytes
 *   are not media it becomes an `unsupported` item error (a "photo" that cannot be shown is
 *   something the user must hear about);
 * - a file with a known non-media extension (IGNORED_EXTENSIONS: sidecars, documents, archives,
 *   databases…) is not an item at all: never opened, never counted;
 * - anything else (no extension, an unknown one) is probed: imported when its bytes are media,
 *   otherwise dropped silently and not counted, exactly like a known non-media file.
 */

/** RAW flavours (stored in photos.raw_format). */
export type RawFormat =
  | 'cr2'
  | 'cr3'
  | 'nef'
  | 'nrw'
  | 'arw'
  | 'srf'
  | 'sr2'
  | 'dng'
  | 'orf'
  | 'raf'
  | 'rw2'
  | 'pef'
  | 'srw'
  | 'raw'

export interface SniffedFormat {
  readonly format: MediaFormat
  readonly kind: MediaKind
  readonly rawFormat: RawFormat | null
}

/** Extensions that claim a media type, with what they claim (lower case, no dot). */
export const MEDIA_EXTENSIONS: Readonly<Record<string, MediaFormat | 'other'>> = {
  jpg: 'jpeg',
  jpeg: 'jpeg',
  jpe: 'jpeg',
  jfif: 'jpeg',
  png: 'png',
  apng: 'png',
  webp: 'webp',
  tif: 'tiff',
  tiff: 'tiff',
  avif: 'avif',
  gif: 'gif',
  heic: 'heic',
  heif: 'heic',
  hif: 'heic',
  cr2: 'raw',
  cr3: 'raw',
  crw: 'raw',
  nef: 'raw',
  nrw: 'raw',
  arw: 'raw',
  srf: 'raw',
  sr2: 'raw',
  dng: 'raw',
  orf: 'raw',
  raf: 'raw',
  rw2: 'raw',
  pef: 'raw',
  srw: 'raw',
  mp4: 'mp4',
  m4v: 'mp4',
  '3gp': 'mp4',
  '3g2': 'mp4',
  mov: 'mov',
  qt: 'mov',
  // Media we recognise as media but cannot import: recorded as `unsupported` so they are visible.
  bmp: 'other',
  jp2: 'other',
  j2k: 'other',
  jxl: 'other',
  psd: 'other',
  ico: 'other',
  svg: 'other',
  avi: 'other',
  mkv: 'other',
  webm: 'other',
  wmv: 'other',
  mts: 'other',
  m2ts: 'other',
  mpg: 'other',
  mpeg: 'other',
}

/** Extensions that are never media: skipped without opening the file and not counted. */
// prettier-ignore
export const IGNORED_EXTENSIONS: ReadonlySet<string> = new Set([
  'txt', 'md', 'xml', 'json', 'yaml', 'yml', 'csv', 'tsv', 'ini', 'cfg', 'conf', 'log', 'html',
  'htm', 'css', 'js', 'ts', 'pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'odt', 'rtf',
  'zip', 'rar', '7z', 'tar', 'gz', 'bz2', 'xz', 'db', 'sqlite', 'sqlite3', 'db-wal', 'db-shm',
  'xmp', 'aae', 'thm', 'lrv', 'pp3', 'dop', 'on1', 'xcf', 'pto', 'exe', 'dll', 'so', 'dmg',
  'iso', 'lnk', 'url', 'ds_store', 'mp3', 'wav', 'flac', 'aac', 'm4a', 'ogg', 'opus', 'wma',
  'ttf', 'otf', 'woff', 'woff2', 'sh', 'bat', 'py', 'lock', 'tmp', 'part', 'crdownload',
])

export type FileDisposition = 'media' | 'ignore' | 'probe'

export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.')
  return dot > 0 ? fileName.slice(dot + 1).toLowerCase() : ''
}

/** Whether a walked file is an import item by its name alone (see the module comment). */
export function dispositionOf(fileName: string): FileDisposition {
  const ext = extensionOf(fileName)
  if (ext in MEDIA_EXTENSIONS) return 'media'
  if (IGNORED_EXTENSIONS.has(ext)) return 'ignore'
  return 'probe'
}

/** How many leading bytes `sniffFormat` needs at most. */
export const SNIFF_BYTES = 64

const ascii = (b: Uint8Array, start: number, end: number) =>
  String.fromCharCode(...b.subarray(start, Math.min(end, b.length)))

function startsWith(b: Uint8Array, bytes: readonly number[], offset = 0): boolean {
  if (b.length < offset + bytes.length) return false
  return bytes.every((v, i) => b[offset + i] === v)
}

const image = (format: MediaFormat, rawFormat: RawFormat | null = null): SniffedFormat => ({
  format,
  kind: 'image',
  rawFormat,
})
const video = (format: MediaFormat): SniffedFormat => ({ format, kind: 'video', rawFormat: null })

/** TIFF containers: the RAW flavour by signature where it has one, else by extension. */
function sniffTiff(b: Uint8Array, ext: string): SniffedFormat {
  // CR2: TIFF header then 'CR' and major version 2 at byte 8.
  if (b[8] === 0x43 && b[9] === 0x52) return image('raw', 'cr2')
  const tiffRaws: Record<string, RawFormat> = {
    nef: 'nef',
    nrw: 'nrw',
    arw: 'arw',
    srf: 'srf',
    sr2: 'sr2',
    dng: 'dng',
    pef: 'pef',
    srw: 'srw',
    cr2: 'cr2',
    orf: 'orf',
    rw2: 'rw2',
  }
  const raw = tiffRaws[ext]
  return raw ? image('raw', raw) : image('tiff')
}

const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs'])
const AVIF_BRANDS = new Set(['avif', 'avis'])
const AUDIO_BRANDS = new Set(['M4A ', 'M4B ', 'M4P ', 'F4A ', 'F4B '])

/** ISO base media file (ftyp box): HEIC/AVIF/CR3/MOV/MP4 by major and compatible brands. */
function sniffFtyp(b: Uint8Array, ext: string): SniffedFormat | null {
  const boxSize = ((b[0] ?? 0) << 24) | ((b[1] ?? 0) << 16) | ((b[2] ?? 0) << 8) | (b[3] ?? 0)
  const major = ascii(b, 8, 12)
  const brands = [major]
  const end = Math.min(b.length, boxSize > 16 ? boxSize : 16)
  for (let off = 16; off + 4 <= end; off += 4) brands.push(ascii(b, off, off + 4))
  if (major === 'crx ') return image('raw', 'cr3')
  if (AVIF_BRANDS.has(major)) return image('avif')
  if (HEIC_BRANDS.has(major)) return image('heic')
  if (major === 'mif1' || major === 'msf1') {
    // Generic HEIF image brand: AVIF files often lead with it and list 'avif' as compatible.
    return brands.some((brand) => AVIF_BRANDS.has(brand)) ? image('avif') : image('heic')
  }
  if (major === 'qt  ') return video('mov')
  if (AUDIO_BRANDS.has(major)) return null
  if (brands.some((brand) => AVIF_BRANDS.has(brand))) return image('avif')
  if (brands.some((brand) => HEIC_BRANDS.has(brand))) return image('heic')
  // Everything else in an ftyp box (isom, mp41/42, avc1, 3gp*, M4V, XAVC…) plays as MP4;
  // a .mov extension keeps the QuickTime label.
  return ext === 'mov' || ext === 'qt' ? video('mov') : video('mp4')
}

/** Old QuickTime files start straight with an atom instead of ftyp. */
const QUICKTIME_ATOMS = new Set(['moov', 'mdat', 'wide', 'free', 'skip', 'pnot'])

/**
 * The media format of a file from its first bytes (at least SNIFF_BYTES when the file has them);
 * `ext` (lower case, no dot) breaks ties. Null when the bytes are not a format we import.
 */
export function sniffFormat(head: Uint8Array, ext = ''): SniffedFormat | null {
  const b = head
  if (startsWith(b, [0xff, 0xd8, 0xff])) return image('jpeg')
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return image('png')
  if (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a') return image('gif')
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return image('webp')
  if (ascii(b, 0, 15) === 'FUJIFILMCCD-RAW') return image('raw', 'raf')
  // Olympus ORF ('IIRO'/'IIRS'/'MMOR') and Panasonic RW2 ('IIU\0') alter the TIFF magic.
  if (ascii(b, 0, 4) === 'IIRO' || ascii(b, 0, 4) === 'IIRS' || ascii(b, 0, 4) === 'MMOR') {
    return image('raw', 'orf')
  }
  if (startsWith(b, [0x49, 0x49, 0x55, 0x00])) return image('raw', 'rw2')
  if (
    startsWith(b, [0x49, 0x49, 0x2a, 0x00]) ||
    startsWith(b, [0x4d, 0x4d, 0x00, 0x2a]) ||
    // BigTIFF
    startsWith(b, [0x49, 0x49, 0x2b, 0x00]) ||
    startsWith(b, [0x4d, 0x4d, 0x00, 0x2b])
  ) {
    return sniffTiff(b, ext)
  }
  const boxType = ascii(b, 4, 8)
  if (boxType === 'ftyp') return sniffFtyp(b, ext)
  if (QUICKTIME_ATOMS.has(boxType) && (ext === 'mov' || ext === 'qt' || ext === 'mp4')) {
    return video(ext === 'mp4' ? 'mp4' : 'mov')
  }
  return null
}
