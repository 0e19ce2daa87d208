import { canPickFolder, hostKind, pickFolder } from '../../api/client'
import { selectRecentFolders, useSettingsStore } from '../settings/settings.store'
import { useImportStore } from './import.store'

/** Import by path (the browser host cannot see dropped folders' paths) and recent folders. */
export function ImportPage() {
  const pathInput = useImportStore((s) => s.pathInput)
  const error = useImportStore((s) => s.error)
  const recent = useSettingsStore(selectRecentFolders)
  const store = useImportStore.getState()
  return (
    <div className="page import-page" data-testid="import-page">
      <h1>Import photos</h1>
      <p>
        Drop a folder anywhere on this window
        {hostKind() === 'browser' ? ' (the browser then asks for its path)' : ''}, or type the full
        path of a folder. The import runs as a job; the library fills while it runs, and
        re-importing a folder only adds what changed.
      </p>
      <form
        className="import-form"
        onSubmit={(e) => {
          e.preventDefault()
          void store.start(pathInput)
        }}
      >
        <input
          type="text"
          value={pathInput}
          placeholder="/home/me/Pictures"
          aria-label="Folder path"
          data-testid="import-path"
          onChange={(e) => store.setPathInput(e.target.value)}
        />
        <button className="primary" type="submit" data-testid="import-start">
          Import
        </button>
        {canPickFolder() && (
          <button
            type="button"
            onClick={() =>
              void pickFolder('Import Folder').then((root) => (root ? store.start(root) : false))
            }
          >
            Choose folder…
          </button>
        )}
      </form>
      {error && <p className="error-text">{error}</p>}
      {recent.length > 0 && (
        <>
          <h2>Recent folders</h2>
          <ul className="recent-folders">
            {recent.map((f) => (
              <li key={f}>
                <code>{f}</code> <button onClick={() => void store.start(f)}>Import again</button>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  )
}
