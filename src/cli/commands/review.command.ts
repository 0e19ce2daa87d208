import { formatBytes } from '../../core/analysis/best-copy'
import type {
  BurstDto,
  DuplicateGroupDto,
  GroupStatus,
  ResolveResult,
} from '../../shared/contract/review'
import type { VamImpl } from '../../shared/contract'
import { UsageError, numberOption, stringOption } from '../args'
import type { CliCommand, CliContext } from '../command'

/**
 * `vam dupes`, `vam bursts`, their `resolve` / `not-duplicate` / `not-burst`, and `vam undo`.
 * Bulk resolution (`--all`) prints what it would do and exits 1 until `--yes` is given.
 */

type Review = VamImpl['review']

const STATUSES: readonly GroupStatus[] = ['open', 'resolved', 'dismissed']

function statusOption(ctx: CliContext): GroupStatus {
  const status = stringOption(ctx.args, 'status') ?? 'open'
  if (!STATUSES.includes(status as GroupStatus)) {
    throw new UsageError(`--status must be one of ${STATUSES.join(', ')}`)
  }
  return status as GroupStatus
}

function idOption(ctx: CliContext, name: string): number | undefined {
  const id = numberOption(ctx.args, name)
  if (id !== undefined && (!Number.isInteger(id) || id <= 0)) {
    throw new UsageError(`--${name} needs a positive id`)
  }
  return id
}

/** Every group of a status, detail included (pages of 500). */
async function allGroups(review: Review, status: GroupStatus): Promise<DuplicateGroupDto[]> {
  const groups: DuplicateGroupDto[] = []
  for (let offset = 0; ; offset += 500) {
    const page = await review.duplicateGroups({ status, offset, limit: 500 })
    for (const g of page.items) {
      const detail = await review.duplicateGroup({ id: g.id })
      if (detail) groups.push(detail)
    }
    if (offset + page.items.length >= page.total || page.items.length === 0) return groups
  }
}

async function allBursts(review: Review, status: GroupStatus): Promise<BurstDto[]> {
  const bursts: BurstDto[] = []
  for (let offset = 0; ; offset += 500) {
    const page = await review.bursts({ status, offset, limit: 500 })
    for (const b of page.items) {
      const detail = await review.burst({ id: b.id })
      if (detail) bursts.push(detail)
    }
    if (offset + page.items.length >= page.total || page.items.length === 0) return bursts
  }
}

/** The JSON shape for `vam dupes --json`. */
export function dupesJson(groups: readonly DuplicateGroupDto[]) {
  return {
    groups: groups.map((g) => ({
      id: g.id,
      kind: g.kind,
      members: g.members.map((m) => ({
        id: m.photoId,
        path: m.path,
        keep: m.keep,
        // The keeper is at distance 0 from itself; null when the file has no hashes.
        distance:
          m.distance ??
          (m.match === 'keeper' && g.kind === 'near'
            ? { ahash: 0, dhash: 0, phash: 0, whash: 0 }
            : null),
        reason: m.reason,
      })),
    })),
  }
}

/** The JSON shape for `vam bursts --json`. */
export function burstsJson(bursts: readonly BurstDto[]) {
  return {
    bursts: bursts.map((b) => {
      const best = b.members.find((m) => m.best)
      return {
        id: b.id,
        best: best ? { id: best.photoId, path: best.path } : null,
        members: b.members.map((m) => ({
          id: m.photoId,
          path: m.path,
          takenAt: m.takenAt,
          score: m.score,
        })),
      }
    }),
  }
}

function printResolution(ctx: CliContext, result: ResolveResult, what: string): number {
  const s = result.summary
  if (ctx.json) {
    ctx.printJson(result)
  } else {
    ctx.out(
      result.applied
        ? `${what}: ${s.groups} resolved, ${result.moved.length} files moved away (${formatBytes(result.moved.reduce((sum, m) => sum + m.bytes, 0))})`
        : `${what}: ${s.groups} to resolve, ${s.files} files would move (${formatBytes(s.bytes)} freed)`,
    )
    for (const m of result.moved) ctx.out(`  moved ${m.from} → ${m.to ?? 'OS trash'}`)
    for (const k of s.skipped) ctx.out(`  kept ${k.path}: ${k.reason}`)
    if (result.applied)
      ctx.out(`decision ${result.decisionId}: undo with \`vam undo ${result.decisionId}\``)
  }
  if (!result.applied) {
    ctx.err('nothing was changed: add --yes to resolve all of them')
    return 1
  }
  return 0
}

export const reviewCommands: CliCommand[] = [
  {
    name: 'dupes',
    usage: 'vam dupes [--status open|resolved|dismissed] [--json]',
    summary: 'list duplicate groups with their suggested keeper and why each photo matched',
    async run(ctx) {
      const groups = await allGroups((await ctx.service()).review, statusOption(ctx))
      if (ctx.json) {
        ctx.printJson(dupesJson(groups))
        return 0
      }
      if (groups.length === 0)
        ctx.out('no duplicate groups (run `vam run duplicates` after analyze)')
      for (const g of groups) {
        ctx.out(
          `group ${g.id} (${g.kind}${g.lowInformation ? ', low-information' : ''}, ${g.status}) — keep: ${g.keeperReason}`,
        )
        for (const m of g.members) {
          ctx.out(
            `  ${m.keep ? 'keep  ' : 'remove'} #${m.photoId} ${m.path}${m.missing ? ' (missing)' : ''}`,
          )
          ctx.out(`         ${m.reason}`)
        }
      }
      return 0
    },
  },
  {
    name: 'dupes resolve',
    usage: 'vam dupes resolve (--group ID [--keep PHOTO] | --all) [--yes] [--json]',
    summary: 'move the non-kept copies to the OS trash or quarantine (undoable; --all needs --yes)',
    async run(ctx) {
      const review = (await ctx.service()).review
      const group = idOption(ctx, 'group')
      const keep = idOption(ctx, 'keep')
      const all = ctx.args.options.all === true
      if ((group === undefined) === !all) throw new UsageError('give either --group ID or --all')
      if (keep !== undefined && group === undefined) throw new UsageError('--keep needs --group')
      // Naming a group is an explicit choice; bulk (--all) needs confirmation.
      const confirm = ctx.args.options.yes === true || group !== undefined
      const result = await review.resolveDuplicates({
        ids: group !== undefined ? [group] : undefined,
        all,
        keep,
        confirm,
      })
      return printResolution(ctx, result, 'duplicates')
    },
  },
  {
    name: 'dupes not-duplicate',
    usage: 'vam dupes not-duplicate --group ID',
    summary: 'mark a group as not duplicates: it never comes back',
    async run(ctx) {
      const groupId = idOption(ctx, 'group')
      if (groupId === undefined) throw new UsageError('give --group ID')
      const decision = await (await ctx.service()).review.dismissDuplicates({ groupId })
      if (ctx.json) ctx.printJson(decision)
      else
        ctx.out(
          `${decision.summary} (decision ${decision.id}; undo with \`vam undo ${decision.id}\`)`,
        )
      return 0
    },
  },
  {
    name: 'bursts',
    usage: 'vam bursts [--status open|resolved|dismissed] [--json]',
    summary: 'list bursts with their best frame',
    async run(ctx) {
      const bursts = await allBursts((await ctx.service()).review, statusOption(ctx))
      if (ctx.json) {
        ctx.printJson(burstsJson(bursts))
        return 0
      }
      if (bursts.length === 0) ctx.out('no bursts (run `vam run bursts`)')
      for (const b of bursts) {
        ctx.out(
          `burst ${b.id} ${b.camera} ${b.startAt} – ${b.endAt} (${b.memberCount} frames, ${b.status}) — best: ${b.bestReason}`,
        )
        for (const m of b.members) {
          const tag = m.best ? 'best  ' : m.keep ? 'keep  ' : 'remove'
          ctx.out(
            `  ${tag} #${m.photoId} ${m.takenAt ?? ''} score ${m.score?.toFixed(0) ?? '?'} ${m.path}`,
          )
        }
      }
      return 0
    },
  },
  {
    name: 'bursts resolve',
    usage: 'vam bursts resolve (--burst ID [--best PHOTO] | --all) [--yes] [--json]',
    summary: 'keep the best frame of each burst, move the rest away (undoable; --all needs --yes)',
    async run(ctx) {
      const review = (await ctx.service()).review
      const burst = idOption(ctx, 'burst')
      const best = idOption(ctx, 'best')
      const all = ctx.args.options.all === true
      if ((burst === undefined) === !all) throw new UsageError('give either --burst ID or --all')
      if (best !== undefined) {
        if (burst === undefined) throw new UsageError('--best needs --burst')
        await review.setBurstBest({ burstId: burst, photoId: best })
      }
      const confirm = ctx.args.options.yes === true || burst !== undefined
      const result = await review.resolveBursts({
        ids: burst !== undefined ? [burst] : undefined,
        all,
        confirm,
      })
      return printResolution(ctx, result, 'bursts')
    },
  },
  {
    name: 'bursts not-burst',
    usage: 'vam bursts not-burst --burst ID',
    summary: 'mark a burst as not a burst: its frames are never grouped again',
    async run(ctx) {
      const burstId = idOption(ctx, 'burst')
      if (burstId === undefined) throw new UsageError('give --burst ID')
      const decision = await (await ctx.service()).review.dismissBurst({ burstId })
      if (ctx.json) ctx.printJson(decision)
      else
        ctx.out(
          `${decision.summary} (decision ${decision.id}; undo with \`vam undo ${decision.id}\`)`,
        )
      return 0
    },
  },
  {
    name: 'undo',
    usage: 'vam undo [DECISION] [--json]',
    summary: 'undo a resolution or dismissal (default: the latest): files come back, verified',
    async run(ctx) {
      const raw = ctx.args.positionals[1]
      const decisionId = raw === undefined ? undefined : Number(raw)
      if (decisionId !== undefined && (!Number.isInteger(decisionId) || decisionId <= 0)) {
        throw new UsageError('DECISION must be a decision id (see `vam decisions`)')
      }
      const result = await (await ctx.service()).review.undo({ decisionId })
      if (ctx.json) {
        ctx.printJson(result)
      } else {
        ctx.out(`undone decision ${result.decision.id}: ${result.decision.summary}`)
        for (const r of result.restored) ctx.out(`  restored ${r.path}`)
        for (const m of result.manual) ctx.out(`  not restored ${m.path}: ${m.reason}`)
      }
      return result.manual.length > 0 ? 1 : 0
    },
  },
  {
    name: 'decisions',
    usage: 'vam decisions [--limit N] [--json]',
    summary: 'the undo log: resolutions and dismissals, newest first',
    async run(ctx) {
      const list = await (
        await ctx.service()
      ).review.decisions({
        limit: numberOption(ctx.args, 'limit') ?? 50,
      })
      if (ctx.json) ctx.printJson(list)
      else if (list.length === 0) ctx.out('no decisions yet')
      else for (const d of list) ctx.out(`${d.id}  ${d.at}  ${d.state.padEnd(7)}  ${d.summary}`)
      return 0
    },
  },
]
