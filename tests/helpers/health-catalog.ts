import path from 'node:path'
import { geohashOf } from '../../src/core/analysis/gps'
import type { Catalog } from '../../src/core/catalog/open-catalog'
import {
  PhotoImportRepository,
  type PhotoImportRow,
} from '../../src/core/catalog/repositories/photo-import.repository'

/** A photos row as the import writes it, with overrides. */
export function photoRow(file: string, over: Partial<PhotoImportRow> = {}): PhotoImportRow {
  return {
    path: file,
    name: path.basename(file),
    folder: path.dirname(file),
    size: 1000,
    mtimeMs: 1_700_000_000_000,
    checksum: `sum-${file}`,
    format: 'jpeg',
    mediaKind: 'image',
    rawFormat: null,
    width: 4000,
    height: 3000,
    orientation: 1,
    takenAt: '2024-05-01T10:00:00',
    dateSource: 'exif-original',
    dateConfidence: 95,
    dateSuspicious: null,
    tzOffset: null,
    make: 'Canon',
    model: 'EOS',
    lens: null,
    iso: 100,
    exposureTime: 0.01,
    fNumber: 4,
    focalLength: 35,
    gpsLat: null,
    gpsLon: null,
    gpsAlt: null,
    gpsSuspicious: null,
    geohash: null,
    ...over,
  }
}

export function withGps(lat: number, lon: number): Partial<PhotoImportRow> {
  return { gpsLat: lat, gpsLon: lon, geohash: geohashOf(lat, lon) }
}

/** Inserts rows through the import's repository; returns their ids in order. */
export function insertPhotos(catalog: Catalog, rows: readonly PhotoImportRow[]): number[] {
  const repo = new PhotoImportRepository(catalog.db)
  return catalog.db.transaction(() =>
    rows.map((row) => repo.upsertImported(row, '2026-01-01T00:00:00.000Z')),
  )()
}
