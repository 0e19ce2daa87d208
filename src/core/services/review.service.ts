import type { ServiceImpl } from '../../shared/contract/define'
import type {
  BurstDto,
  DecisionDto,
  DuplicateGroupDto,
  GroupStatus,
  MovedFile,
  ResolveResult,
  reviewContract,
  SkippedFile,
  UndoResult,
} from '../../shared/contract/review'
import { formatBytes } from '../analysis/best-copy'
import { backupCatalog } from '../catalog/backup-service'
import { BurstRepository } from '../catalog/repositories/burst.repository'
import {
  DecisionRepository,
  type DecisionPayload,
  type FileMove,
  type StoredDecision,
  type SubjectBefore,
} from '../catalog/repositories/decision.repository'
import { DuplicateRepository } from '../catalog/repositories/duplicate.repository'
import type { ReviewSetRepository } from '../catalog/repositories/review-set.repository'
import type { Engine } from '../engine'
import { reviewCounts } from '../health/review-counts'
import {
  fileSize,
  filesEqual,
  moveFile,
  quarantinePathFor,
  sameFile,
  sha256File,
} from './file-moves'

/**
 * Review and resolution of duplicate groups and bursts.
 *
 * Safety rules, in the order they are applied:
 * 1. A verified catalog backup is written before anything changes.
 * 2. Every group keeps at least one member whose file exists now; a group with no present
 *    keeper is skipped entirely (never remove the last remaining copy).
 * 3. A member that is the same file as a kept one (same inode or real path: hard links,
 *    symlinks, case aliases) is never removed — removing it would remove the keeper.
 * 4. Byte copies (exact groups, 'copy' members) are compared byte for byte with the keeper
 *    right before the move; a mismatch skips the file.
 * 5. A file whose size no longer matches the catalog is skipped (changed since import).
 * 6. Files are moved, never deleted: to the OS trash (host.trashItem) or into the quarantine
 *    folder with their path preserved; each move and each row change is in `decisions` first.
 */

/** A request that cannot be honoured (unknown id, group not open, …): a plain message for the user. */
export class ReviewError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ReviewError'
  }
}

function ensure(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ReviewError(message)
}

/** One file to remove, and the kept file it must equal byte for byte (byte copies). */
interface PlannedRemoval {
  readonly photoId: number
  readonly path: string
  readonly bytes: number
  readonly mustEqual: string | null
}

/** The two kinds of review set: duplicate groups and bursts (decision kinds are `${Side}-…`). */
type Side = 'dupes' | 'bursts'

/** One member as planning sees it: `keep` decided per member, `copy` for byte copies (rule 4). */
interface PlanMember {
  readonly photoId: number
  readonly path: string
  readonly size: number
  readonly missing: boolean
  readonly keep: boolean
  readonly checksum: string | null
  readonly copy: boolean
}

interface SubjectPlan {
  readonly id: number
  readonly keepIds: readonly number[]
  readonly removals: PlannedRemoval[]
  readonly before: SubjectBefore
}

interface Plan {
  readonly subjects: SubjectPlan[]
  readonly skipped: SkippedFile[]
}

function summarize(plan: Plan) {
  const removals = plan.subjects.flatMap((s) => s.removals)
  return {
    groups: plan.subjects.filter((s) => s.removals.length > 0).length,
    files: removals.length,
    bytes: removals.reduce((sum, r) => sum + r.bytes, 0),
    skipped: plan.skipped,
  }
}

/** A group's or burst's status and roles as they are now: what undo restores. */
function snapshot(subject: DuplicateGroupDto | BurstDto): SubjectBefore {
  return {
    id: subject.id,
    status: subject.status,
    roles: subject.members.map((m) => ({ photoId: m.photoId, role: m.role })),
  }
}

/**
 * Splits members into kept and removed files, applying rules 2, 3 and 5. `keep` decides per
 * member; `mustEqual` names the kept file a member must be byte-identical to (or null).
 */
function planSubject(
  before: SubjectBefore,
  members: readonly PlanMember[],
  skipped: SkippedFile[],
): SubjectPlan | null {
  const present = members.filter((m) => !m.missing)
  const keepers = present.filter((m) => m.keep && fileSize(m.path) !== null)
  if (keepers.length === 0) {
    const reason = present.some((m) => m.keep)
      ? 'the kept copy is not on disk: nothing in this group is removed'
      : 'no member is marked keep: nothing in this group is removed'
    for (const m of present.filter((x) => !x.keep)) {
      skipped.push({ photoId: m.photoId, path: m.path, reason })
    }
    return null
  }
  const removals: PlannedRemoval[] = []
  for (const m of present) {
    if (m.keep) continue
    const size = fileSize(m.path)
    if (size === null) {
      skipped.push({ photoId: m.photoId, path: m.path, reason: 'file is already gone' })
      continue
    }
    if (size !== m.size) {
      skipped.push({ photoId: m.photoId, path: m.path, reason: 'file changed since import' })
      continue
    }
    if (keepers.some((k) => sameFile(k.path, m.path))) {
      skipped.push({
        photoId: m.photoId,
        path: m.path,
        reason:
          'same file as the kept copy (same inode or real path): removing it would delete the only copy',
      })
      continue
    }
    const twin = m.copy
      ? keepers.find((k) => k.checksum !== null && k.checksum === m.checksum)
      : null
    if (m.copy && !twin) {
      skipped.push({
        photoId: m.photoId,
        path: m.path,
        reason: 'no kept file with the same checksum',
      })
      continue
    }
    removals.push({ photoId: m.photoId, path: m.path, bytes: size, mustEqual: twin?.path ?? null })
  }
  return { id: before.id, keepIds: keepers.map((k) => k.photoId), removals, before }
}

/** Plans each subject in turn; one with nothing safe to remove is left out of the plan. */
function planAll(
  ids: readonly number[],
  load: (id: number) => { before: SubjectBefore; members: readonly PlanMember[] },
): Plan {
  const skipped: SkippedFile[] = []
  const subjects: SubjectPlan[] = []
  for (const id of ids) {
    const { before, members } = load(id)
    const plan = planSubject(before, members, skipped)
    if (plan) subjects.push(plan)
  }
  return { subjects, skipped }
}

export function createReviewService(engine: Engine): ServiceImpl<typeof reviewContract> {
  const { db, paths } = engine.catalog
  const dupes = new DuplicateRepository(db)
  const bursts = new BurstRepository(db)
  const decisions = new DecisionRepository(db)
  const now = () => new Date().toISOString()

  const mustGroup = (id: number): DuplicateGroupDto => {
    const group = dupes.getGroup(id)
    ensure(group, `no duplicate group ${id}`)
    return group
  }
  const mustBurst = (id: number): BurstDto => {
    const burst = bursts.getBurst(id)
    ensure(burst, `no burst ${id}`)
    return burst
  }

  const setsOf = (side: Side): ReviewSetRepository => (side === 'dupes' ? dupes : bursts)
  const label = (side: Side) => (side === 'dupes' ? 'duplicates' : 'bursts')

  /** A decision's subject columns and payload: `befores` go in this side's list. */
  const decisionSubject = (
    side: Side,
    befores: SubjectBefore[],
    single: number | null,
  ): { groupId: number | null; burstId: number | null; payload: DecisionPayload } => ({
    groupId: side === 'dupes' ? single : null,
    burstId: side === 'bursts' ? single : null,
    payload: {
      groups: side === 'dupes' ? befores : [],
      bursts: side === 'bursts' ? befores : [],
      moves: [],
    },
  })

  const planDuplicates = (ids: readonly number[], keep?: number): Plan =>
    planAll(ids, (id) => {
      const group = mustGroup(id)
      ensure(group.status === 'open', `group ${id} is ${group.status}`)
      if (keep !== undefined) {
        ensure(
          group.members.some((m) => m.photoId === keep && !m.missing),
          `photo ${keep} is not a present member of group ${id}`,
        )
      }
      return {
        before: snapshot(group),
        members: group.members.map((m) => ({
          ...m,
          keep: keep !== undefined ? m.photoId === keep : m.keep,
          copy: group.kind === 'exact' || m.match === 'copy',
        })),
      }
    })

  const planBursts = (ids: readonly number[]): Plan =>
    planAll(ids, (id) => {
      const burst = mustBurst(id)
      ensure(burst.status === 'open', `burst ${id} is ${burst.status}`)
      return {
        before: snapshot(burst),
        members: burst.members.map((m) => ({ ...m, checksum: null, copy: false })),
      }
    })

  /** Moves the planned files (rule 4 checked right before each move), logging as it goes. */
  const apply = async (side: Side, plan: Plan, single: number | null): Promise<ResolveResult> => {
    const kind = `${side}-resolve` as const
    const summary = summarize(plan)
    // Nothing passed the safety checks: no backup, no decision to undo.
    if (plan.subjects.length === 0) {
      return { applied: true, summary, decisionId: null, backupId: null, moved: [] }
    }
    const backup = await backupCatalog(db, paths, `before-${kind}`)
    const at = now()
    const { groupId, burstId, payload } = decisionSubject(
      side,
      plan.subjects.map((s) => s.before),
      single,
    )
    const text = `${label(side)}: ${summary.groups} resolved, ${summary.files} files (${formatBytes(summary.bytes)}) moved`
    const decisionId = decisions.create({
      kind,
      groupId,
      burstId,
      at,
      state: 'pending',
      summary: text,
      payload,
      backupId: backup.id,
    })
    const skipped = [...plan.skipped]
    const moved: MovedFile[] = []
    const useTrash = engine.host.trashItem !== undefined
    for (const subject of plan.subjects) {
      for (const removal of subject.removals) {
        if (removal.mustEqual && !(await filesEqual(removal.path, removal.mustEqual))) {
          skipped.push({
            photoId: removal.photoId,
            path: removal.path,
            reason: 'content differs from the kept copy (byte comparison)',
          })
          continue
        }
        const move: FileMove = {
          photoId: removal.photoId,
          from: removal.path,
          to: useTrash ? null : quarantinePathFor(paths.quarantineDir, decisionId, removal.path),
          method: useTrash ? 'trash' : 'quarantine',
          bytes: removal.bytes,
          sha256: await sha256File(removal.path),
          missingSinceBefore: null,
          done: false,
        }
        // Logged before the move: a crash mid-way leaves a decision that undo can still read.
        payload.moves.push(move)
        decisions.update(decisionId, { payload })
        try {
          if (move.to) await moveFile(move.from, move.to, move.sha256)
          else await engine.host.trashItem?.(move.from)
          move.done = true
          moved.push({ photoId: move.photoId, from: move.from, to: move.to, bytes: move.bytes })
        } catch (error) {
          payload.moves.pop()
          skipped.push({
            photoId: removal.photoId,
            path: removal.path,
            reason: `could not move: ${error instanceof Error ? error.message : String(error)}`,
          })
        }
      }
    }
    const movedIds = new Set(moved.map((m) => m.photoId))
    const sets = setsOf(side)
    db.transaction(() => {
      for (const move of payload.moves) decisions.markRemoved(move, decisionId, at)
      for (const subject of plan.subjects) {
        const keep = new Set(subject.keepIds)
        for (const { photoId } of subject.before.roles) {
          if (keep.has(photoId)) sets.setRole(subject.id, photoId, 'keep')
          else if (movedIds.has(photoId)) sets.setRole(subject.id, photoId, 'remove')
        }
        sets.setStatus(subject.id, 'resolved', { id: decisionId, at })
        // Several kept: the user keeps them side by side; never group them again.
        if (side === 'dupes' && keep.size > 1) {
          dupes.addSeparatedPairs([...keep], 'kept-both', decisionId)
        }
      }
      const summaryText = `${label(side)}: ${plan.subjects.length} resolved, ${moved.length} files (${formatBytes(moved.reduce((s, m) => s + m.bytes, 0))}) moved`
      decisions.update(decisionId, { state: 'applied', payload, summary: summaryText })
      dupes.pruneOpen()
      bursts.pruneOpen()
    })()
    engine.events.emit('catalogChanged', { reason: kind })
    return {
      applied: true,
      summary: { ...summary, skipped },
      decisionId,
      backupId: backup.id,
      moved,
    }
  }

  /** Without `confirm` only what resolving would do; with it, resolved. */
  const resolve = (
    side: Side,
    chosen: readonly number[],
    plan: Plan,
    confirm: boolean | undefined,
  ): Promise<ResolveResult> | ResolveResult => {
    if (!confirm) {
      return {
        applied: false,
        summary: summarize(plan),
        decisionId: null,
        backupId: null,
        moved: [],
      }
    }
    return apply(side, plan, chosen.length === 1 ? (chosen[0] as number) : null)
  }

  /** Marks a group or burst "not a duplicate / not a burst"; `separate` keeps it from coming back. */
  const dismiss = (
    side: Side,
    subject: DuplicateGroupDto | BurstDto,
    summary: string,
    separate: (photoIds: number[], decisionId: number) => void,
  ): DecisionDto => {
    const kind = `${side}-dismiss` as const
    const at = now()
    const id = db.transaction(() => {
      const decisionId = decisions.create({
        kind,
        ...decisionSubject(side, [snapshot(subject)], subject.id),
        at,
        state: 'applied',
        summary,
      })
      separate(
        subject.members.map((m) => m.photoId),
        decisionId,
      )
      setsOf(side).setStatus(subject.id, 'dismissed', { id: decisionId, at })
      return decisionId
    })()
    engine.events.emit('catalogChanged', { reason: kind })
    return dto(decisions.get(id) as StoredDecision)
  }

  const page = <T>(
    sets: {
      count(status?: GroupStatus): number
      list(options: { status?: GroupStatus; offset: number; limit: number }): T[]
    },
    { status, offset, limit }: { status?: GroupStatus; offset?: number; limit?: number },
  ) => ({
    total: sets.count(status),
    offset: offset ?? 0,
    items: sets.list({ status, offset: offset ?? 0, limit: limit ?? 100 }),
  })

  /** Undo: each group or burst back to its status and roles before the decision. */
  const restore = (sets: ReviewSetRepository, befores: readonly SubjectBefore[]) => {
    for (const before of befores) {
      sets.setStatus(before.id, before.status, null)
      for (const r of before.roles) sets.setRole(before.id, r.photoId, r.role)
    }
  }

  const selection = (
    input: { ids?: number[]; all?: boolean },
    openIds: () => number[],
  ): number[] => {
    if (input.all) return openIds()
    ensure(input.ids && input.ids.length > 0, 'give group ids or all: true')
    return [...new Set(input.ids)]
  }

  const dto = (d: StoredDecision): DecisionDto => {
    const { payload: _payload, backupId: _backupId, ...rest } = d
    return rest
  }

  const restoreMoves = async (decision: StoredDecision) => {
    const restored: { photoId: number; path: string }[] = []
    const manual: SkippedFile[] = []
    for (const move of [...decision.payload.moves].reverse()) {
      const back = () => {
        decisions.unmarkRemoved(move)
        restored.push({ photoId: move.photoId, path: move.from })
      }
      if (fileSize(move.from) !== null) {
        // Something is at the original path: ours (restored by hand, or the move never ran)?
        if ((await sha256File(move.from)) === move.sha256) back()
        else
          manual.push({
            photoId: move.photoId,
            path: move.from,
            reason:
              'a different file now exists at the original path; the removed copy was left where it is',
          })
        continue
      }
      if (move.method === 'trash' || move.to === null) {
        manual.push({
          photoId: move.photoId,
          path: move.from,
          reason: 'moved to the OS trash: restore it from there',
        })
        continue
      }
      if (fileSize(move.to) === null) {
        manual.push({
          photoId: move.photoId,
          path: move.from,
          reason: `not found in quarantine (${move.to})`,
        })
        continue
      }
      await moveFile(move.to, move.from, move.sha256)
      if ((await sha256File(move.from)) === move.sha256) back()
      else
        manual.push({
          photoId: move.photoId,
          path: move.from,
          reason: 'restored file does not match its checksum',
        })
    }
    return { restored, manual }
  }

  return {
    duplicateGroups: (input) => page(dupes, input),
    duplicateGroup: ({ id }) => dupes.getGroup(id),
    setDuplicateRole: ({ groupId, photoId, role }) => {
      ensure(mustGroup(groupId).status === 'open', `group ${groupId} is not open`)
      ensure(dupes.setRole(groupId, photoId, role), `photo ${photoId} is not in group ${groupId}`)
      return mustGroup(groupId)
    },
    chooseKeeper: ({ groupId, photoId }) => {
      const group = mustGroup(groupId)
      ensure(group.status === 'open', `group ${groupId} is not open`)
      ensure(
        group.members.some((m) => m.photoId === photoId),
        `photo ${photoId} is not in group ${groupId}`,
      )
      dupes.chooseKeeper(groupId, photoId)
      return mustGroup(groupId)
    },
    resolveDuplicates: async ({ ids, all, keep, confirm }) => {
      const chosen = selection({ ids, all }, () => dupes.openGroupIds())
      ensure(keep === undefined || chosen.length === 1, '`keep` needs exactly one group')
      return resolve('dupes', chosen, planDuplicates(chosen, keep), confirm)
    },
    dismissDuplicates: ({ groupId }) => {
      const group = mustGroup(groupId)
      ensure(group.status === 'open', `group ${groupId} is ${group.status}`)
      return dismiss(
        'dupes',
        group,
        `not duplicates: group ${groupId} (${group.members.length} photos)`,
        (photoIds, decisionId) => dupes.addSeparatedPairs(photoIds, 'not-duplicate', decisionId),
      )
    },
    bursts: (input) => page(bursts, input),
    burst: ({ id }) => bursts.getBurst(id),
    setBurstBest: ({ burstId, photoId }) => {
      const burst = mustBurst(burstId)
      ensure(burst.status === 'open', `burst ${burstId} is not open`)
      ensure(
        burst.members.some((m) => m.photoId === photoId),
        `photo ${photoId} is not in burst ${burstId}`,
      )
      bursts.setBest(burstId, photoId)
      return mustBurst(burstId)
    },
    setBurstRole: ({ burstId, photoId, role }) => {
      ensure(mustBurst(burstId).status === 'open', `burst ${burstId} is not open`)
      ensure(bursts.setRole(burstId, photoId, role), `photo ${photoId} is not in burst ${burstId}`)
      return mustBurst(burstId)
    },
    resolveBursts: async ({ ids, all, confirm }) => {
      const chosen = selection({ ids, all }, () => bursts.openBurstIds())
      return resolve('bursts', chosen, planBursts(chosen), confirm)
    },
    dismissBurst: ({ burstId }) => {
      const burst = mustBurst(burstId)
      ensure(burst.status === 'open', `burst ${burstId} is ${burst.status}`)
      return dismiss(
        'bursts',
        burst,
        `not a burst: burst ${burstId} (${burst.members.length} frames)`,
        (photoIds, decisionId) => bursts.addExclusions(photoIds, decisionId),
      )
    },
    decisions: ({ limit }) => decisions.list(limit ?? 50),
    undo: async ({ decisionId }): Promise<UndoResult> => {
      const decision =
        decisionId !== undefined ? decisions.get(decisionId) : decisions.latestUndoable()
      ensure(decision, decisionId !== undefined ? `no decision ${decisionId}` : 'nothing to undo')
      ensure(decision.state !== 'undone', `decision ${decision.id} is already undone`)
      if (decision.payload.moves.length > 0)
        await backupCatalog(db, paths, `before-undo-${decision.id}`)
      const { restored, manual } = await restoreMoves(decision)
      db.transaction(() => {
        restore(dupes, decision.payload.groups)
        restore(bursts, decision.payload.bursts)
        dupes.removeSeparatedPairs(decision.id)
        bursts.removeExclusions(decision.id)
        // A reopened group or burst may overlap ones found since: one open group per photo.
        dupes.deleteOpenOverlapping(decision.payload.groups.map((g) => g.id))
        bursts.deleteOpenOverlapping(decision.payload.bursts.map((b) => b.id))
        decisions.update(decision.id, { state: 'undone', undoneAt: now() })
      })()
      engine.events.emit('catalogChanged', { reason: 'undo' })
      return { decision: dto(decisions.get(decision.id) as StoredDecision), restored, manual }
    },
    counts: () => reviewCounts(db),
  }
}
