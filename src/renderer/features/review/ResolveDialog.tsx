import type { ReactNode } from 'react'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import type { PendingResolution } from './review.store'

/** Confirms a dry-run resolution; `children` say what will move. */
export function ResolveDialog(props: {
  pending: PendingResolution
  titles: { readonly current: string; readonly all: string }
  children: ReactNode
  onConfirm(): void
  onCancel(): void
}) {
  return (
    <ConfirmDialog
      title={props.pending.scope === 'all' ? props.titles.all : props.titles.current}
      confirmLabel="Move files and resolve"
      onConfirm={props.onConfirm}
      onCancel={props.onCancel}
    >
      {props.children}
    </ConfirmDialog>
  )
}
