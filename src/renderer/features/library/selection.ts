/**
 * Grid selection and keyboard focus as pure data: a focused index, an anchor for shift-ranges and
 * the selected ranges (indices into the current query, so 100k-photo selections cost nothing).
 */
export interface Selection {
  readonly focus: number | null
  readonly anchor: number | null
  /** Sorted, non-overlapping inclusive ranges. */
  readonly ranges: readonly (readonly [number, number])[]
}

export const EMPTY_SELECTION: Selection = { focus: null, anchor: null, ranges: [] }

export interface Modifiers {
  readonly shift?: boolean
  /** Ctrl on Linux/Windows, Cmd on macOS. */
  readonly toggle?: boolean
}

export function isSelected(selection: Selection, index: number): boolean {
  return selection.ranges.some(([a, b]) => index >= a && index <= b)
}

export function selectedCount(selection: Selection): number {
  return selection.ranges.reduce((n, [a, b]) => n + b - a + 1, 0)
}

/** Every selected index, ascending (callers cap it; selections can be large). */
export function selectedIndices(selection: Selection, limit = Infinity): number[] {
  const out: number[] = []
  for (const [a, b] of selection.ranges) {
    for (let i = a; i <= b && out.length < limit; i++) out.push(i)
  }
  return out
}

function normalise(ranges: readonly (readonly [number, number])[]): [number, number][] {
  const sorted = [...ranges].map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as [number, number])
  sorted.sort((x, y) => x[0] - y[0])
  const out: [number, number][] = []
  for (const range of sorted) {
    const last = out.at(-1)
    if (last && range[0] <= last[1] + 1) last[1] = Math.max(last[1], range[1])
    else out.push([range[0], range[1]])
  }
  return out
}

function without(
  ranges: readonly (readonly [number, number])[],
  index: number,
): [number, number][] {
  const out: [number, number][] = []
  for (const [a, b] of ranges) {
    if (index < a || index > b) out.push([a, b])
    else {
      if (a <= index - 1) out.push([a, index - 1])
      if (index + 1 <= b) out.push([index + 1, b])
    }
  }
  return out
}

/** A click (or Space) on `index`: plain selects it alone, toggle adds/removes, shift extends. */
export function clickIndex(selection: Selection, index: number, mods: Modifiers = {}): Selection {
  if (mods.shift && selection.anchor !== null) {
    const range: [number, number] = [selection.anchor, index]
    const base = mods.toggle ? selection.ranges : []
    return { focus: index, anchor: selection.anchor, ranges: normalise([...base, range]) }
  }
  if (mods.toggle) {
    const ranges = isSelected(selection, index)
      ? without(selection.ranges, index)
      : normalise([...selection.ranges, [index, index]])
    return { focus: index, anchor: index, ranges }
  }
  return { focus: index, anchor: index, ranges: [[index, index]] }
}

export type NavKey =
  'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown' | 'Home' | 'End' | 'PageUp' | 'PageDown'

export const NAV_KEYS: readonly string[] = [
  'ArrowLeft',
  'ArrowRight',
  'ArrowUp',
  'ArrowDown',
  'Home',
  'End',
  'PageUp',
  'PageDown',
] satisfies readonly NavKey[]

/**
 * Moves the focus by a key in a grid of `columns` columns and `total` items; shift extends the
 * selection from the anchor, toggle moves the focus without changing the selection.
 */
export function moveFocus(
  selection: Selection,
  key: NavKey,
  layout: { readonly columns: number; readonly total: number; readonly pageRows: number },
  mods: Modifiers = {},
): Selection {
  const { columns, total } = layout
  if (total === 0) return EMPTY_SELECTION
  const from = selection.focus ?? -1
  const step: Record<NavKey, number> = {
    ArrowLeft: -1,
    ArrowRight: 1,
    ArrowUp: -columns,
    ArrowDown: columns,
    PageUp: -columns * Math.max(1, layout.pageRows),
    PageDown: columns * Math.max(1, layout.pageRows),
    Home: -Infinity,
    End: Infinity,
  }
  const raw = from === -1 ? 0 : from + step[key]
  const to = Math.min(total - 1, Math.max(0, Number.isFinite(raw) ? raw : raw > 0 ? total - 1 : 0))
  if (mods.toggle && !mods.shift) return { ...selection, focus: to }
  return clickIndex(selection, to, { shift: mods.shift })
}

export function selectAll(total: number, focus: number | null): Selection {
  return total === 0 ? EMPTY_SELECTION : { focus, anchor: 0, ranges: [[0, total - 1]] }
}
