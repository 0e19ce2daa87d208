import path from 'node:path'
import { PhotoRepository } from '../../core/catalog/repositories/photo.repository'
import { photoDetail } from '../../core/services/photos.service'
import type { PhotoDetail } from '../../shared/contract/photos'
import { UsageError, requiredPositional } from '../args'
import type { CliCommand, CliContext } from '../command'

/** `vam show 42` or `vam show ~/Pictures/a.jpg`: an id when it is one, else a path. */
function resolvePhotoId(ctx: CliContext, photos: PhotoRepository, arg: string): number {
  if (/^\d+$/.test(arg) && photos.get(Number(arg))) return Number(arg)
  const row = photos.getByPath(path.resolve(arg))
  if (!row) throw new UsageError(`no photo with id or path "${arg}" in this catalog`)
  return row.id
}

function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '—'
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/** Prints an object as aligned `key: value` lines under a heading. */
function printSection(ctx: CliContext, title: string, value: unknown): void {
  ctx.out(`${title}:`)
  if (value === null || value === undefined) {
    ctx.out('  (none)')
    return
  }
  if (Array.isArray(value)) {
    if (value.length === 0) ctx.out('  (none)')
    for (const item of value) ctx.out(`  - ${formatValue(item)}`)
    return
  }
  if (typeof value !== 'object') {
    ctx.out(`  ${formatValue(value)}`)
    return
  }
  const entries = Object.entries(value as Record<string, unknown>)
  const width = Math.max(...entries.map(([k]) => k.length))
  for (const [key, v] of entries) {
    if (key === 'parts' && v && typeof v === 'object') {
      ctx.out(`  ${key.padEnd(width)}:`)
      for (const [part, p] of Object.entries(
        v as Record<string, { value: number; weight: number; points: number }>,
      )) {
        ctx.out(
          `    ${part.padEnd(14)} ${p.points.toFixed(1).padStart(5)} / ${p.weight}  (value ${p.value.toFixed(3)})`,
        )
      }
    } else {
      ctx.out(`  ${key.padEnd(width)}: ${formatValue(v)}`)
    }
  }
}

function printDetail(ctx: CliContext, detail: PhotoDetail): void {
  printSection(ctx, 'photo', detail.photo)
  for (const [name, section] of Object.entries(detail.extra)) printSection(ctx, name, section)
  printSection(
    ctx,
    'errors',
    detail.errors.map(
      (e) => `${e.stage} ${e.code}: ${e.message} (attempts ${e.attempts}, ${e.at})`,
    ),
  )
}

export const showCommands: CliCommand[] = [
  {
    name: 'show',
    usage: 'vam show PATH|ID [--json]',
    summary:
      'every catalog field of one photo, with hashes (16-hex), quality parts, thumbnails, errors',
    async run(ctx) {
      const arg = requiredPositional(ctx.args, 1, 'which photo? give its id or path')
      const engine = await ctx.engine()
      const id = resolvePhotoId(ctx, new PhotoRepository(engine.catalog.db), arg)
      const detail = photoDetail(engine, id)
      if (!detail) throw new UsageError(`no photo ${id}`)
      if (ctx.json) ctx.printJson(detail)
      else printDetail(ctx, detail)
      return 0
    },
  },
]
