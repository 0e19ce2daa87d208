import { useEffect, useRef, type ReactNode } from 'react'

/** A modal confirmation; Enter confirms, Escape cancels. */
export function ConfirmDialog(props: {
  title: string
  children: ReactNode
  confirmLabel: string
  onConfirm(): void
  onCancel(): void
}) {
  const confirmRef = useRef<HTMLButtonElement>(null)
  useEffect(() => confirmRef.current?.focus(), [])
  return (
    <div className="modal-backdrop" role="presentation" onClick={props.onCancel}>
      <div
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-label={props.title}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === 'Escape') props.onCancel()
          e.stopPropagation()
        }}
      >
        <h2>{props.title}</h2>
        <div className="modal-body">{props.children}</div>
        <div className="modal-actions">
          <button onClick={props.onCancel}>Cancel</button>
          <button ref={confirmRef} className="primary" onClick={props.onConfirm}>
            {props.confirmLabel}
          </button>
        </div>
      </div>
    </div>
  )
}
