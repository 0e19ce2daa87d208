import { useEffect, useState } from 'react'
import type { ErrorGroupDto } from '../../../shared/contract/jobs'
import { api } from '../../api/client'
import { errorMessage } from '../../api/api-error'
import { EmptyState } from '../../components/EmptyState'
import { useLibraryStore } from '../library/library.store'
import { useUiStore } from '../../app/ui.store'
import { useCountsStore } from '../../app/counts.store'
import { ErrorGroups } from './JobDock'

/** Every open per-item error in the catalog, grouped by code, with a link to those photos. */
export function ErrorsPage() {
  const [groups, setGroups] = useState<readonly ErrorGroupDto[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const count = useCountsStore((s) => s.errors)
  useEffect(() => {
    api()
      .jobs.errors({ perCode: 200 })
      .then(setGroups, (e: unknown) => setError(errorMessage(e)))
  }, [count])
  return (
    <div className="page" data-testid="errors-page">
      <h1>Errors</h1>
      {error && <p className="error-text">{error}</p>}
      {groups && groups.length === 0 ? (
        <EmptyState title="No errors">
          <p>Every file that was imported or analysed could be read.</p>
        </EmptyState>
      ) : (
        <>
          <p>
            Files that could not be read, decoded or analysed, by reason.{' '}
            <button
              onClick={() => {
                useLibraryStore.getState().replaceFilter({ hasErrors: true })
                useUiStore.getState().go('library')
              }}
            >
              Show these photos in the library
            </button>
          </p>
          {groups && <ErrorGroups groups={groups} />}
        </>
      )}
    </div>
  )
}
