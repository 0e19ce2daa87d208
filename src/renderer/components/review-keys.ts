import { useEffect, useRef } from 'react'

/** What a key does on the review pages (duplicates and bursts share the keys). */
export type ReviewAction =
  | { readonly kind: 'prev' }
  | { readonly kind: 'next' }
  | { readonly kind: 'select'; readonly slot: number }
  | { readonly kind: 'keep' }
  | { readonly kind: 'remove' }
  | { readonly kind: 'not' }
  | { readonly kind: 'apply' }
  | { readonly kind: 'undo' }
  | { readonly kind: 'best' }
  | { readonly kind: 'zoom'; readonly delta: number }

export interface KeyInput {
  readonly key: string
  readonly ctrlKey?: boolean
  readonly metaKey?: boolean
  readonly altKey?: boolean
}

/**
 * ←/→ previous/next group, 1–9 select a photo, K keep, X remove, N "not duplicates", B make
 * best, Enter apply, Ctrl/Cmd+Z undo, +/− zoom. Other modified keys are left to the browser.
 */
export function reviewActionFor(e: KeyInput): ReviewAction | null {
  const mod = Boolean(e.ctrlKey || e.metaKey)
  if (mod) return e.key === 'z' || e.key === 'Z' ? { kind: 'undo' } : null
  if (e.altKey) return null
  switch (e.key) {
    case 'ArrowLeft':
      return { kind: 'prev' }
    case 'ArrowRight':
      return { kind: 'next' }
    case 'k':
    case 'K':
      return { kind: 'keep' }
    case 'x':
    case 'X':
      return { kind: 'remove' }
    case 'n':
    case 'N':
      return { kind: 'not' }
    case 'b':
    case 'B':
      return { kind: 'best' }
    case 'Enter':
      return { kind: 'apply' }
    case '+':
    case '=':
      return { kind: 'zoom', delta: 1 }
    case '-':
      return { kind: 'zoom', delta: -1 }
    default:
      return /^[1-9]$/.test(e.key) ? { kind: 'select', slot: Number(e.key) } : null
  }
}

function typingInto(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName)
}

/** Window-level review keys while the page is mounted (not while typing or in a dialog). */
export function useReviewKeys(handle: (action: ReviewAction) => void, enabled: boolean): void {
  const handler = useRef(handle)
  useEffect(() => {
    handler.current = handle
  })
  useEffect(() => {
    if (!enabled) return
    const onKey = (e: KeyboardEvent) => {
      if (typingInto(e.target) || document.querySelector('.modal')) return
      const action = reviewActionFor(e)
      if (!action) return
      e.preventDefault()
      handler.current(action)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [enabled])
}
