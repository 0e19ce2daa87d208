/**
 * When the grid last scrolled. Cells that mount during a fast scroll wait a moment before asking
 * for their thumbnail: a fling mounts and unmounts thousands of cells, and starting (then
 * cancelling) a request for each one costs the main thread more than drawing the cells.
 */
let lastScrollAt = -Infinity

/** Thumbnails of cells mounted this soon after a scroll event wait (ms). */
export const SCROLL_SETTLE_MS = 120

export function noteScroll(now = performance.now()): void {
  lastScrollAt = now
}

export function scrolledRecently(now = performance.now()): boolean {
  return now - lastScrollAt < SCROLL_SETTLE_MS
}
