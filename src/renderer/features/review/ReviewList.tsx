import type { ReactNode } from 'react'
import { mediaUrl } from '../../api/client'

/** How one list entry reads: a bold title, a short fact after it, a muted note below. */
export interface ReviewItemLabel {
  readonly title: ReactNode
  readonly fact: ReactNode
  readonly note: ReactNode
}

/**
 * The open items of a review queue (duplicate groups, bursts) with the count, a "resolve all"
 * button and a thumbnail per item; the selected one is marked current.
 */
export function ReviewList<Item extends { readonly id: number }>(props: {
  label: string
  /** "12 open groups" reads `{total} open {noun}`. */
  noun: string
  total: number
  items: readonly Item[]
  index: number
  itemTestId: string
  thumbOf(item: Item): number | null
  labelOf(item: Item): ReviewItemLabel
  onSelect(index: number): void
  resolveAllLabel: string
  resolveAllTestId?: string
  onResolveAll(): void
}) {
  return (
    <aside className="review-list" aria-label={props.label}>
      <div className="review-list-head">
        {props.total.toLocaleString()} open {props.noun}
        <button onClick={props.onResolveAll} data-testid={props.resolveAllTestId}>
          {props.resolveAllLabel}
        </button>
      </div>
      <ul>
        {props.items.map((item, i) => {
          const thumb = props.thumbOf(item)
          const label = props.labelOf(item)
          return (
            <li key={item.id}>
              <button
                className={`review-item ${i === props.index ? 'current' : ''}`}
                onClick={() => props.onSelect(i)}
                data-testid={props.itemTestId}
              >
                {thumb !== null && <img src={mediaUrl(thumb, 256)} alt="" />}
                <span>
                  <b>{label.title}</b> · {label.fact}
                  <br />
                  <span className="muted">{label.note}</span>
                </span>
              </button>
            </li>
          )
        })}
      </ul>
    </aside>
  )
}
