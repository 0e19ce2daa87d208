import { describe, expect, it } from 'vitest'
import {
  dateFromFileName,
  dateFromFolder,
  dateSuspicion,
  formatLocal,
  normalizeOffset,
  offsetFromGps,
  parseDateTime,
  resolveDate,
} from '../../src/core/analysis/dates'

// Tests run with TZ=UTC (vitest.config.ts), so mtime-derived local times are UTC.
const NOW = Date.UTC(2024, 5, 1, 12, 0, 0)
const fmt = (p: Parameters<typeof formatLocal>[0] | null) => (p ? formatLocal(p) : null)

describe(parseDateTime.name, () => {
  it('reads EXIF and ISO forms, with sub-seconds and offsets', () => {
    expect(parseDateTime('2019:04:12 15:30:12')).toEqual({
      parts: { y: 2019, mo: 4, d: 12, h: 15, mi: 30, s: 12 },
      offset: null,
    })
    expect(parseDateTime('2019-04-12T15:30:12.345+02:00')?.offset).toBe('+02:00')
    expect(parseDateTime('2019-04-12T15:30:12Z')?.offset).toBe('+00:00')
    expect(fmt(parseDateTime('2019:04:12')?.parts ?? null)).toBe('2019-04-12T00:00:00')
  })

  it('rejects unset and impossible dates', () => {
    for (const bad of [
      '0000:00:00 00:00:00',
      '    :  :     :  :  ',
      '',
      '2019:13:01 00:00:00',
      '2019:02:30 10:00:00',
      '2019:04:12 25:00:00',
      'garbage',
    ]) {
      expect(parseDateTime(bad), bad).toBeNull()
    }
    expect(parseDateTime(null)).toBeNull()
  })
})

describe(normalizeOffset.name, () => {
  it('normalises offsets', () => {
    expect(normalizeOffset('+02:00')).toBe('+02:00')
    expect(normalizeOffset('-0530')).toBe('-05:30')
    expect(normalizeOffset('+9')).toBe('+09:00')
    expect(normalizeOffset('Z')).toBe('+00:00')
    expect(normalizeOffset('+25:00')).toBeNull()
    expect(normalizeOffset('CET')).toBeNull()
  })
})

describe(dateFromFileName.name, () => {
  const cases: [string, string | null][] = [
    ['IMG_20190412_153012.jpg', '2019-04-12T15:30:12'],
    ['VID_20190412_153012.mp4', '2019-04-12T15:30:12'],
    ['PXL_20230101_120000123.jpg', '2023-01-01T12:00:00'],
    ['PXL_20230101_120000123.MP.jpg', '2023-01-01T12:00:00'],
    ['20190412_153012.jpg', '2019-04-12T15:30:12'],
    ['2019-04-12 15.30.12.jpg', '2019-04-12T15:30:12'],
    ['Screenshot_2019-04-12-15-30-12.png', '2019-04-12T15:30:12'],
    ['Screenshot 2019-04-12 at 15.30.12.png', '2019-04-12T15:30:12'],
    ['Photo 2019-04-12_15-30-12.jpg', '2019-04-12T15:30:12'],
    ['IMG-20190412-WA0001.jpg', '2019-04-12T00:00:00'],
    ['Screenshot_20190412.png', '2019-04-12T00:00:00'],
    ['1555083012345.jpg', '2019-04-12T15:30:12'],
    ['DSC_0001.JPG', null],
    ['IMG_1234.jpg', null],
    ['IMG_20191332_153012.jpg', null],
    ['holiday.jpg', null],
  ]
  for (const [name, expected] of cases) {
    it(`${name} → ${expected}`, () => {
      expect(fmt(dateFromFileName(name, NOW))).toBe(expected)
    })
  }
})

describe(dateFromFolder.name, () => {
  const cases: [string, string | null, string | null][] = [
    ['/photos/2019/04/12', '2019-04-12T00:00:00', 'day'],
    ['/photos/2019/04', '2019-04-01T00:00:00', 'month'],
    ['/photos/2019/04/party', '2019-04-01T00:00:00', 'month'],
    ['/photos/2019', '2019-01-01T00:00:00', 'year'],
    ['/photos/2019-04 Holiday', '2019-04-01T00:00:00', 'month'],
    ['/photos/2019-04-12 Party', '2019-04-12T00:00:00', 'day'],
    ['/photos/2019_04_12', '2019-04-12T00:00:00', 'day'],
    ['/photos/2018/2019-04 Trip/raw', '2019-04-01T00:00:00', 'month'],
    ['/photos/holiday', null, null],
    ['/photos/12345', null, null],
  ]
  for (const [folder, expected, precision] of cases) {
    it(`${folder} → ${expected}`, () => {
      const got = dateFromFolder(folder)
      expect(got ? formatLocal(got.parts) : null).toBe(expected)
      expect(got?.precision ?? null).toBe(precision)
    })
  }
})

describe(dateSuspicion.name, () => {
  it('flags defaults, ancient and future dates', () => {
    const p = (y: number, mo: number, d: number) => ({ y, mo, d, h: 0, mi: 0, s: 0 })
    expect(dateSuspicion(p(1970, 1, 1), NOW)).toBe('default-date')
    expect(dateSuspicion(p(1980, 1, 1), NOW)).toBe('default-date')
    expect(dateSuspicion(p(2000, 1, 1), NOW)).toBe('default-date')
    expect(dateSuspicion(p(1985, 6, 1), NOW)).toBe('before-1990')
    expect(dateSuspicion(p(2030, 1, 2), NOW)).toBe('future')
    expect(dateSuspicion(p(2000, 1, 2), NOW)).toBeNull()
    expect(dateSuspicion(p(2024, 6, 1), NOW)).toBeNull()
  })
})

describe(offsetFromGps.name, () => {
  it('derives the zone from the GPS clock (UTC)', () => {
    const local = { y: 2019, mo: 4, d: 12, h: 15, mi: 30, s: 12 }
    expect(offsetFromGps(local, '2019:04:12', [13, 30, 10])).toBe('+02:00')
    expect(offsetFromGps(local, '2019:04:12', '20:00:11')).toBe('-04:30')
    expect(offsetFromGps(local, '2019:04:10', [13, 30, 10])).toBeNull()
    expect(offsetFromGps(local, null, null)).toBeNull()
  })
})

describe(resolveDate.name, () => {
  it('prefers DateTimeOriginal (95) and keeps its offset', () => {
    const r = resolveDate(
      {
        exifOriginal: '2019:04:12 15:30:12',
        exifOriginalOffset: '+02:00',
        exifCreate: '2019:04:12 15:30:13',
        fileName: 'IMG_20200101_000000.jpg',
        mtimeMs: NOW,
      },
      NOW,
    )
    expect(r).toEqual({
      takenAt: '2019-04-12T15:30:12',
      source: 'exif-original',
      confidence: 95,
      tzOffset: '+02:00',
      suspicious: null,
    })
  })

  it('falls through the sources in order', () => {
    expect(resolveDate({ exifCreate: '2019:04:12 15:30:12', mtimeMs: NOW }, NOW)).toMatchObject({
      source: 'exif-create',
      confidence: 95,
    })
    expect(resolveDate({ exifModify: '2019:04:12 15:30:12', mtimeMs: NOW }, NOW)).toMatchObject({
      source: 'exif-other',
      confidence: 85,
    })
    expect(resolveDate({ xmp: ['2019-04-12T15:30:12+01:00'], mtimeMs: NOW }, NOW)).toMatchObject({
      source: 'xmp',
      confidence: 80,
      tzOffset: '+01:00',
    })
    expect(
      resolveDate({ fileName: 'IMG_20190412_153012.jpg', folder: '/p/2018', mtimeMs: NOW }, NOW),
    ).toMatchObject({
      source: 'filename',
      confidence: 70,
      takenAt: '2019-04-12T15:30:12',
    })
    expect(
      resolveDate({ fileName: 'a.jpg', folder: '/p/2019/04/12', mtimeMs: NOW }, NOW),
    ).toMatchObject({
      source: 'folder',
      confidence: 50,
      takenAt: '2019-04-12T00:00:00',
    })
    expect(resolveDate({ fileName: 'a.jpg', folder: '/p/misc', mtimeMs: NOW }, NOW)).toEqual({
      takenAt: '2024-06-01T12:00:00',
      source: 'file-mtime',
      confidence: 30,
      tzOffset: '+00:00',
      suspicious: null,
    })
    expect(resolveDate({ fileName: 'a.jpg' }, NOW)).toBeNull()
  })

  it('uses the file time, at folder confidence, when it falls inside the folder period', () => {
    const mtime = Date.UTC(2019, 3, 20, 8, 15, 0)
    expect(
      resolveDate({ fileName: 'a.jpg', folder: '/p/2019-04 Holiday', mtimeMs: mtime }, NOW),
    ).toMatchObject({
      takenAt: '2019-04-20T08:15:00',
      source: 'file-mtime',
      confidence: 50,
    })
  })

  it('skips a bogus EXIF date for a plausible one, and flags when nothing is plausible', () => {
    expect(
      resolveDate(
        { exifOriginal: '2000:01:01 00:00:00', fileName: 'IMG_20190412_153012.jpg', mtimeMs: NOW },
        NOW,
      ),
    ).toMatchObject({ source: 'filename', suspicious: null })
    expect(resolveDate({ exifOriginal: '1970:01:01 00:00:00' }, NOW)).toMatchObject({
      source: 'exif-original',
      suspicious: 'default-date',
    })
    // A scan of an old print: the early date is kept, flagged, not replaced by the file time.
    expect(resolveDate({ exifOriginal: '1975:06:01 12:00:00', mtimeMs: NOW }, NOW)).toMatchObject({
      takenAt: '1975-06-01T12:00:00',
      source: 'exif-original',
      suspicious: 'before-1990',
    })
    expect(resolveDate({ exifOriginal: '2031:05:05 10:00:00' }, NOW)).toMatchObject({
      suspicious: 'future',
    })
  })

  it('infers the offset from GPS time when EXIF has none', () => {
    expect(
      resolveDate(
        {
          exifOriginal: '2019:04:12 15:30:12',
          gpsDateStamp: '2019:04:12',
          gpsTimeStamp: [6, 30, 12],
        },
        NOW,
      )?.tzOffset,
    ).toBe('+09:00')
  })
})
