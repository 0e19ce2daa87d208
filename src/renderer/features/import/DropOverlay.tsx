import { useEffect } from 'react'
import { countDroppedFiles, useImportStore } from './import.store'

/**
 * Window-wide drop target. While a drag with files is over the window an overlay invites the drop;
 * after the drop it shows "Import N files from FOLDER" while the import starts.
 */
export function DropOverlay() {
  const dragging = useImportStore((s) => s.dragging)
  const drop = useImportStore((s) => s.drop)

  useEffect(() => {
    let depth = 0
    const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files')
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return
      depth++
      useImportStore.getState().setDragging(true)
    }
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return
      depth = Math.max(0, depth - 1)
      if (depth === 0) useImportStore.getState().setDragging(false)
    }
    const over = (e: DragEvent) => {
      if (!hasFiles(e)) return
      e.preventDefault()
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy'
    }
    const onDrop = (e: DragEvent) => {
      if (!hasFiles(e)) return
      e.preventDefault()
      depth = 0
      const item = e.dataTransfer?.items[0]
      const file = e.dataTransfer?.files[0]
      if (!item || !file) {
        useImportStore.getState().setDragging(false)
        return
      }
      const entry = item.webkitGetAsEntry()
      void useImportStore
        .getState()
        .dropped({ file, name: entry?.name ?? file.name, count: countDroppedFiles(entry) })
    }
    window.addEventListener('dragenter', enter)
    window.addEventListener('dragleave', leave)
    window.addEventListener('dragover', over)
    window.addEventListener('drop', onDrop)
    return () => {
      window.removeEventListener('dragenter', enter)
      window.removeEventListener('dragleave', leave)
      window.removeEventListener('dragover', over)
      window.removeEventListener('drop', onDrop)
    }
  }, [])

  useEffect(() => {
    if (!drop) return
    const t = setTimeout(() => useImportStore.setState({ drop: null }), 4000)
    return () => clearTimeout(t)
  }, [drop])

  if (dragging) {
    return (
      <div className="drop-overlay" data-testid="drop-overlay">
        <div>Drop a folder to import its photos</div>
      </div>
    )
  }
  if (drop) {
    return (
      <div className="drop-overlay passive" data-testid="drop-overlay">
        <div>
          Import {drop.fileCount === null ? '…' : drop.fileCount.toLocaleString()} files from{' '}
          {drop.folderName}
          {!drop.path && (
            <p className="muted">
              This browser cannot see the folder's path: type it in the Import page.
            </p>
          )}
        </div>
      </div>
    )
  }
  return null
}
