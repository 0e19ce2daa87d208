import { describe, expect, it } from 'vitest'
import { reviewActionFor } from '../../src/renderer/components/review-keys'

describe(reviewActionFor.name, () => {
  it('maps the review keys of the design', () => {
    expect(reviewActionFor({ key: 'ArrowLeft' })).toEqual({ kind: 'prev' })
    expect(reviewActionFor({ key: 'ArrowRight' })).toEqual({ kind: 'next' })
    expect(reviewActionFor({ key: '3' })).toEqual({ kind: 'select', slot: 3 })
    expect(reviewActionFor({ key: 'k' })).toEqual({ kind: 'keep' })
    expect(reviewActionFor({ key: 'X' })).toEqual({ kind: 'remove' })
    expect(reviewActionFor({ key: 'n' })).toEqual({ kind: 'not' })
    expect(reviewActionFor({ key: 'b' })).toEqual({ kind: 'best' })
    expect(reviewActionFor({ key: 'Enter' })).toEqual({ kind: 'apply' })
  })

  it('undo is Ctrl+Z or Cmd+Z; other modified keys are left alone', () => {
    expect(reviewActionFor({ key: 'z', ctrlKey: true })).toEqual({ kind: 'undo' })
    expect(reviewActionFor({ key: 'z', metaKey: true })).toEqual({ kind: 'undo' })
    expect(reviewActionFor({ key: 'z' })).toBeNull()
    expect(reviewActionFor({ key: 'k', ctrlKey: true })).toBeNull()
    expect(reviewActionFor({ key: '1', altKey: true })).toBeNull()
    expect(reviewActionFor({ key: '0' })).toBeNull()
    expect(reviewActionFor({ key: 'q' })).toBeNull()
  })
})
