import type { ReactNode } from 'react'

/** A centred explanation of what to do next when a view has nothing to show. */
export function EmptyState(props: { title: string; children?: ReactNode; testId?: string }) {
  return (
    <div className="empty-state" data-testid={props.testId ?? 'empty-state'}>
      <h2>{props.title}</h2>
      {props.children}
    </div>
  )
}
