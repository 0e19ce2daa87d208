import { z } from 'zod'
import { method } from './define'
import type { MediaFormat } from '../photos'

const Id = z.number().int().positive()

/** open: waiting for the user; resolved: files were removed/kept; dismissed: "not duplicates". */
export type GroupStatus = 'open' | 'resolved' | 'dismissed'
/** The user's decision for one member; 'undecided' follows the suggestion on resolve. */
export type MemberRole = 'keep' | 'remove' | 'undecided'

/** Hamming distances (bits of 64) between a member and the group's keeper, per hash. */
export interface HashDistancesDto {
  readonly ahash: number
  readonly dhash: number
  readonly phash: number
  readonly whash: number
}

/** One photo of a duplicate group, with everything the review page compares. */
export interface DuplicateMemberDto {
  readonly photoId: number
  readonly path: string
  readonly name: string
  readonly folder: string
  readonly size: number
  readonly format: MediaFormat | null
  readonly width: number | null
  readonly height: number | null
  readonly takenAt: string | null
  readonly gpsLat: number | null
  readonly gpsLon: number | null
  readonly checksum: string | null
  /** Pixel quality score 0–100. */
  readonly quality: number | null
  /** The file is gone (removed by a resolution, or vanished). */
  readonly missing: boolean
  readonly role: MemberRole
  readonly suggested: 'keep' | 'remove'
  /** What resolving now would do: the role, or the suggestion when undecided. */
  readonly keep: boolean
  /** keeper: the suggested keeper; copy: same checksum; near / low-info: which rule matched. */
  readonly match: 'keeper' | 'copy' | 'near' | 'low-info'
  /** Distances to the representative; null for the representative and unhashed files. */
  readonly distance: HashDistancesDto | null
  /** Why it is in the group (or why it is the suggested keeper). */
  readonly reason: string
}

export interface DuplicateGroupSummaryDto {
  readonly id: number
  /** exact: same checksum only; near: similar pixels (may include exact copies). */
  readonly kind: 'exact' | 'near'
  readonly status: GroupStatus
  readonly memberCount: number
  /** The suggested (or chosen) keeper. */
  readonly representative: number | null
  readonly keeperReason: string
  /** Matched under the stricter low-information rule. */
  readonly lowInformation: boolean
  /** Bytes freed by resolving with the current roles/suggestions. */
  readonly bytesReclaimable: number
  readonly createdAt: string
  readonly decidedAt: string | null
  readonly decisionId: number | null
}

export interface DuplicateGroupDto extends DuplicateGroupSummaryDto {
  readonly members: readonly DuplicateMemberDto[]
}

export interface BurstMemberDto {
  readonly photoId: number
  readonly path: string
  readonly name: string
  readonly size: number
  readonly takenAt: string | null
  readonly score: number | null
  readonly sharpness: number | null
  readonly missing: boolean
  readonly role: MemberRole
  readonly best: boolean
  /** What resolving now would do: best and 'keep' members stay. */
  readonly keep: boolean
}

export interface BurstSummaryDto {
  readonly id: number
  readonly camera: string
  readonly startAt: string
  readonly endAt: string
  readonly status: GroupStatus
  readonly memberCount: number
  readonly bestPhotoId: number | null
  readonly bestScore: number | null
  readonly bestReason: string
  /** The user chose the best frame. */
  readonly userOverride: boolean
  readonly createdAt: string
  readonly decidedAt: string | null
  readonly decisionId: number | null
}

export interface BurstDto extends BurstSummaryDto {
  readonly members: readonly BurstMemberDto[]
}

/** A page of a list plus its total. */
export interface PageOf<T> {
  readonly total: number
  readonly offset: number
  readonly items: readonly T[]
}

/** A file a resolution will not remove, and why (last copy, same file, content differs, …). */
export interface SkippedFile {
  readonly photoId: number
  readonly path: string
  readonly reason: string
}

/** What a resolution does (before confirmation) or did. */
export interface ResolutionSummary {
  readonly groups: number
  readonly files: number
  readonly bytes: number
  readonly skipped: readonly SkippedFile[]
}

export interface MovedFile {
  readonly photoId: number
  readonly from: string
  /** Quarantine path; null when moved to the OS trash. */
  readonly to: string | null
  readonly bytes: number
}

export interface ResolveResult {
  /** False when confirmation is required: nothing was changed. */
  readonly applied: boolean
  readonly summary: ResolutionSummary
  readonly decisionId: number | null
  readonly backupId: number | null
  readonly moved: readonly MovedFile[]
}

export type DecisionKind = 'dupes-resolve' | 'dupes-dismiss' | 'bursts-resolve' | 'bursts-dismiss'

/** One entry of the undo log. */
export interface DecisionDto {
  readonly id: number
  readonly kind: DecisionKind
  readonly groupId: number | null
  readonly burstId: number | null
  readonly at: string
  readonly state: 'pending' | 'applied' | 'undone'
  readonly summary: string
  readonly files: number
  readonly undoneAt: string | null
}

export interface UndoResult {
  readonly decision: DecisionDto
  /** Files moved back to their original path, verified byte-identical. */
  readonly restored: readonly { readonly photoId: number; readonly path: string }[]
  /** Files that could not be restored automatically (OS trash, conflicts), and why. */
  readonly manual: readonly SkippedFile[]
}

/** Counts for the sidebar and the health page. */
export interface ReviewCounts {
  readonly duplicates: {
    readonly groups: number
    readonly photos: number
    readonly unresolved: number
    readonly bytesReclaimable: number
  }
  readonly bursts: { readonly groups: number; readonly photos: number; readonly unresolved: number }
}

const StatusSchema = z.enum(['open', 'resolved', 'dismissed'])
const RoleSchema = z.enum(['keep', 'remove', 'undecided'])
const PageSchema = {
  status: StatusSchema.optional(),
  offset: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).max(1000).optional(),
}
/** Which groups/bursts to resolve: some by id, or all open ones. */
const SelectionSchema = {
  ids: z.array(Id).max(100_000).optional(),
  all: z.boolean().optional(),
  /** Must be true to change anything; false returns the summary only. */
  confirm: z.boolean(),
}

/** Duplicate and burst review: list, decide, resolve (undoably), dismiss, undo. */
export const reviewContract = {
  duplicateGroups: method<PageOf<DuplicateGroupSummaryDto>>()(z.object(PageSchema)),
  duplicateGroup: method<DuplicateGroupDto | null>()(z.object({ id: Id })),
  /** Marks one member keep/remove/undecided. */
  setDuplicateRole: method<DuplicateGroupDto>()(
    z.object({ groupId: Id, photoId: Id, role: RoleSchema }),
  ),
  /** Makes a member the keeper (and representative); others follow their roles/suggestions. */
  chooseKeeper: method<DuplicateGroupDto>()(z.object({ groupId: Id, photoId: Id })),
  /**
   * Resolves groups: removed members go to the OS trash or the quarantine folder after a
   * verified backup. With `keep` (one group only) that photo is kept and all others removed.
   */
  resolveDuplicates: method<ResolveResult>()(z.object({ ...SelectionSchema, keep: Id.optional() })),
  /** "Not duplicates": the group is dismissed and never comes back. */
  dismissDuplicates: method<DecisionDto>()(z.object({ groupId: Id })),
  bursts: method<PageOf<BurstSummaryDto>>()(z.object(PageSchema)),
  burst: method<BurstDto | null>()(z.object({ id: Id })),
  setBurstBest: method<BurstDto>()(z.object({ burstId: Id, photoId: Id })),
  setBurstRole: method<BurstDto>()(z.object({ burstId: Id, photoId: Id, role: RoleSchema })),
  /** Keeps the best frame (and frames marked keep), removes the rest. */
  resolveBursts: method<ResolveResult>()(z.object(SelectionSchema)),
  /** "Not a burst": the frames are never grouped as a burst again. */
  dismissBurst: method<DecisionDto>()(z.object({ burstId: Id })),
  decisions: method<readonly DecisionDto[]>()(
    z.object({ limit: z.number().int().min(1).max(1000).optional() }),
  ),
  /** Undoes a decision (default: the latest one not undone). */
  undo: method<UndoResult>()(z.object({ decisionId: Id.optional() })),
  counts: method<ReviewCounts>()(z.object({})),
}
