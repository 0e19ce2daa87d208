import type { ReactNode } from 'react'

/**
 * The bar above a review item: the key hints, the page's own controls (`children`), then Undo,
 * dismiss and the primary "resolve this one" button; the queue's last error below it.
 */
export function ReviewToolbar(props: {
  hints: ReactNode
  children?: ReactNode
  error: string | null
  dismissLabel: string
  dismissTestId?: string
  applyLabel: string
  applyTestId: string
  onUndo(): void
  onDismiss(): void
  onApply(): void
}) {
  return (
    <>
      <div className="review-toolbar">
        <span className="muted">{props.hints}</span>
        <span className="spacer" />
        {props.children}
        <button onClick={props.onUndo}>Undo</button>
        <button onClick={props.onDismiss} data-testid={props.dismissTestId}>
          {props.dismissLabel}
        </button>
        <button className="primary" onClick={props.onApply} data-testid={props.applyTestId}>
          {props.applyLabel}
        </button>
      </div>
      {props.error && <p className="error-text">{props.error}</p>}
    </>
  )
}
