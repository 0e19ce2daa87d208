import { useCallback, useEffect, useMemo, useRef } from 'react'
import { Grid, useGridRef } from 'react-window'
import { useShallow } from 'zustand/react/shallow'
import { EmptyState } from '../../components/EmptyState'
import { noteScroll } from '../../components/scroll-activity'
import { useElementSize } from '../../components/use-element-size'
import { useUiStore } from '../../app/ui.store'
import { GridCell, type GridCellData } from './GridCell'
import { useLibraryStore } from './library.store'
import { NAV_KEYS, type NavKey } from './selection'

/** Label row under each thumbnail. */
const NAME_HEIGHT = 22

/**
 * The virtualised library grid: only the visible cells exist; rows come from the page cache by
 * index. Keyboard: arrows/Home/End/PageUp/PageDown move, Shift extends, Ctrl/Cmd toggles,
 * Ctrl/Cmd+A selects all, Enter opens the viewer.
 */
export function LibraryGrid() {
  const s = useLibraryStore(
    useShallow((st) => ({
      cache: st.cache,
      version: st.version,
      total: st.total,
      selection: st.selection,
      cellSize: st.cellSize,
      mediaEpoch: st.mediaEpoch,
      scores: st.scores,
      loading: st.loading,
      error: st.error,
      hasFilter: Object.keys(st.query.filter).length > 0,
    })),
  )
  const actions = useLibraryStore.getState()
  const wrapper = useRef<HTMLDivElement>(null)
  const gridRef = useGridRef(null)
  const { width, height } = useElementSize(wrapper)
  const columns = Math.max(1, Math.floor(width / s.cellSize))
  const columnWidth = width > 0 ? width / columns : s.cellSize
  const rowHeight = Math.round(columnWidth) + NAME_HEIGHT
  const total = s.total ?? 0
  const rowCount = Math.ceil(total / columns)

  useEffect(() => {
    actions.setLayout(columns, Math.max(1, Math.floor(height / rowHeight)))
  }, [actions, columns, height, rowHeight])

  // A new query starts at the top.
  useEffect(() => {
    if (gridRef.current?.element) gridRef.current.element.scrollTop = 0
  }, [s.cache, gridRef])

  // Keep the keyboard focus in view.
  const focus = s.selection.focus
  useEffect(() => {
    if (focus === null || rowCount === 0) return
    gridRef.current?.scrollToRow({
      index: Math.min(rowCount - 1, Math.floor(focus / columns)),
      align: 'smart',
    })
  }, [focus, columns, rowCount, gridRef])

  const onCellClick = useCallback((index: number, e: React.MouseEvent) => {
    useLibraryStore.getState().click(index, { shift: e.shiftKey, toggle: e.ctrlKey || e.metaKey })
    wrapper.current?.focus()
  }, [])
  const onCellOpen = useCallback(
    (index: number) => useLibraryStore.getState().openViewer(index),
    [],
  )
  const thumbSize: 256 | 1024 = s.cellSize > 300 ? 1024 : 256

  const cellProps: GridCellData = useMemo(
    () => ({
      cache: s.cache,
      version: s.version,
      columns,
      total,
      selection: s.selection,
      thumbSize,
      mediaEpoch: s.mediaEpoch,
      scores: s.scores,
      onCellClick,
      onCellOpen,
    }),
    [
      s.cache,
      s.version,
      columns,
      total,
      s.selection,
      thumbSize,
      s.mediaEpoch,
      s.scores,
      onCellClick,
      onCellOpen,
    ],
  )

  const onKeyDown = (e: React.KeyboardEvent) => {
    const store = useLibraryStore.getState()
    const mods = { shift: e.shiftKey, toggle: e.ctrlKey || e.metaKey }
    if (NAV_KEYS.includes(e.key)) {
      e.preventDefault()
      store.navigate(e.key as NavKey, mods)
    } else if (e.key === 'a' && mods.toggle) {
      e.preventDefault()
      store.selectAll()
    } else if (e.key === 'Enter' && store.selection.focus !== null) {
      e.preventDefault()
      store.openViewer(store.selection.focus)
    } else if (e.key === ' ' && store.selection.focus !== null) {
      e.preventDefault()
      store.click(store.selection.focus, { toggle: true })
    } else if (e.key === 'i' && !mods.toggle) {
      useUiStore.getState().toggleInfoPanel()
    }
  }

  let overlay: React.ReactNode = null
  if (s.total === 0 && !s.loading) {
    overlay = s.hasFilter ? (
      <EmptyState title="No photos match these filters">
        <p>Remove a filter chip above to see more photos.</p>
      </EmptyState>
    ) : (
      <EmptyState title="Drop a folder of photos here" testId="library-empty">
        <p>
          Drag a folder from your file manager anywhere onto this window, or use <b>Import</b> in
          the sidebar to type its path. Photos appear here while the import runs.
        </p>
      </EmptyState>
    )
  } else if (s.error && s.total === null) {
    overlay = <EmptyState title="The library could not be loaded">{<p>{s.error}</p>}</EmptyState>
  }

  return (
    <div
      className="library-grid"
      ref={wrapper}
      tabIndex={0}
      onKeyDown={onKeyDown}
      data-testid="photo-grid"
      data-total={s.total ?? ''}
      aria-label="Photos"
    >
      {overlay}
      {width > 0 && height > 0 && rowCount > 0 && (
        <Grid
          gridRef={gridRef}
          cellComponent={GridCell}
          cellProps={cellProps}
          columnCount={columns}
          columnWidth={columnWidth}
          rowCount={rowCount}
          rowHeight={rowHeight}
          overscanCount={1}
          style={{ width, height }}
          onScroll={() => noteScroll()}
          onCellsRendered={(visibleCells) => {
            useLibraryStore
              .getState()
              .ensureRange(
                visibleCells.rowStartIndex * columns,
                (visibleCells.rowStopIndex + 1) * columns - 1,
              )
          }}
        />
      )}
    </div>
  )
}
