import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import type { Writable } from 'node:stream'
import { PhotoRepository, toRecord } from '../../core/catalog/repositories/photo.repository'
import type { PhotoRecord } from '../../shared/photos'
import { UsageError, stringOption } from '../args'
import type { CliCommand } from '../command'

/** Every PhotoRecord field, in a stable order (the CSV header). */
// prettier-ignore
const FIELDS: readonly (keyof PhotoRecord)[] = [
  'id',
  'path',
  'name',
  'folder',
  'format',
  'mediaKind',
  'rawFormat',
  'width',
  'height',
  'size',
  'mtimeMs',
  'checksum',
  'orientation',
  'takenAt',
  'dateSource',
  'dateConfidence',
  'dateSuspicious',
  'tzOffset',
  'make',
  'model',
  'lens',
  'iso',
  'exposureTime',
  'fNumber',
  'focalLength',
  'gpsLat',
  'gpsLon',
  'gpsAlt',
  'gpsSuspicious',
  'geohash',
  'importedAt',
  'missingSince',
  'missing',
]

/** RFC 4180 field: quoted when it holds a comma, quote or line break. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return ''
  const text = String(value)
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** Writes with backpressure so 100k rows never pile up in memory. */
async function write(out: Writable, text: string): Promise<void> {
  if (out.destroyed) throw new ReaderGone()
  if (!out.write(text)) await Promise.race([once(out, 'drain'), once(out, 'close')])
}

/** The reader went away (`vam export | head`): stop quietly, that is not an error. */
class ReaderGone extends Error {}

export const exportCommands: CliCommand[] = [
  {
    name: 'export',
    usage: 'vam export [--format json|csv] [--out FILE]',
    summary: 'every catalog field of every photo, one record per photo, to stdout or a file',
    async run(ctx) {
      const format = stringOption(ctx.args, 'format') ?? 'json'
      if (format !== 'json' && format !== 'csv')
        throw new UsageError(`--format must be json or csv, got "${format}"`)
      const file = stringOption(ctx.args, 'out')
      const out: Writable = file ? createWriteStream(file) : process.stdout
      const photos = new PhotoRepository((await ctx.engine()).catalog.db)
      let count = 0
      let gone = false
      out.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EPIPE') throw error
        gone = true
        out.destroy()
      })
      try {
        if (format === 'csv') await write(out, `${FIELDS.join(',')}\n`)
        else await write(out, '[')
        for (const row of photos.iterateAll()) {
          const record = toRecord(row)
          if (format === 'csv') {
            await write(out, `${FIELDS.map((f) => csvField(record[f])).join(',')}\n`)
          } else {
            await write(out, `${count === 0 ? '\n' : ',\n'}${JSON.stringify(record)}`)
          }
          count++
        }
        if (format === 'json') await write(out, count === 0 ? ']\n' : '\n]\n')
      } catch (error) {
        if (!(error instanceof ReaderGone) && !gone) throw error
        return 0
      }
      if (file) {
        out.end()
        await once(out, 'finish')
        ctx.err(`${count} photo(s) written to ${file}`)
      }
      return 0
    },
  },
]
