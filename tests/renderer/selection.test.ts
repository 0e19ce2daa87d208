import { describe, expect, it } from 'vitest'
import {
  EMPTY_SELECTION,
  clickIndex,
  isSelected,
  moveFocus,
  selectAll,
  selectedCount,
  selectedIndices,
} from '../../src/renderer/features/library/selection'

const layout = { columns: 4, total: 10, pageRows: 2 }

describe('grid selection', () => {
  it('a plain click selects one photo and sets the anchor', () => {
    const s = clickIndex(EMPTY_SELECTION, 3)
    expect(s).toEqual({ focus: 3, anchor: 3, ranges: [[3, 3]] })
  })

  it('shift-click selects the range from the anchor, either direction', () => {
    const s = clickIndex(clickIndex(EMPTY_SELECTION, 6), 2, { shift: true })
    expect(selectedIndices(s)).toEqual([2, 3, 4, 5, 6])
    expect(s.anchor).toBe(6)
  })

  it('ctrl-click toggles single photos and splits ranges', () => {
    let s = clickIndex(clickIndex(EMPTY_SELECTION, 0), 4, { shift: true })
    s = clickIndex(s, 2, { toggle: true })
    expect(selectedIndices(s)).toEqual([0, 1, 3, 4])
    s = clickIndex(s, 2, { toggle: true })
    expect(s.ranges).toEqual([[0, 4]])
    s = clickIndex(s, 8, { toggle: true })
    expect(selectedCount(s)).toBe(6)
    expect(isSelected(s, 8)).toBe(true)
    expect(isSelected(s, 7)).toBe(false)
  })

  it('arrow keys move by one or by a row and clamp at the ends', () => {
    let s = moveFocus(EMPTY_SELECTION, 'ArrowRight', layout)
    expect(s.focus).toBe(0)
    s = moveFocus(s, 'ArrowDown', layout)
    expect(s.focus).toBe(4)
    s = moveFocus(s, 'ArrowDown', layout)
    expect(s.focus).toBe(8)
    s = moveFocus(s, 'ArrowDown', layout)
    expect(s.focus).toBe(9)
    s = moveFocus(s, 'Home', layout)
    expect(s.focus).toBe(0)
    s = moveFocus(s, 'End', layout)
    expect(s.focus).toBe(9)
    s = moveFocus(s, 'PageUp', layout)
    expect(s.focus).toBe(1)
  })

  it('shift+arrow extends the selection; ctrl+arrow moves focus only', () => {
    let s = clickIndex(EMPTY_SELECTION, 1)
    s = moveFocus(s, 'ArrowRight', layout, { shift: true })
    s = moveFocus(s, 'ArrowDown', layout, { shift: true })
    expect(selectedIndices(s)).toEqual([1, 2, 3, 4, 5, 6])
    const moved = moveFocus(s, 'ArrowLeft', layout, { toggle: true })
    expect(moved.focus).toBe(5)
    expect(moved.ranges).toEqual(s.ranges)
  })

  it('select all covers the whole query without listing it', () => {
    const s = selectAll(100_000, 5)
    expect(selectedCount(s)).toBe(100_000)
    expect(s.ranges).toHaveLength(1)
    expect(moveFocus(EMPTY_SELECTION, 'ArrowDown', { ...layout, total: 0 })).toEqual(
      EMPTY_SELECTION,
    )
  })
})
