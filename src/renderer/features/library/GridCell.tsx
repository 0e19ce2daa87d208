import type { CellComponentProps } from 'react-window'
import { Thumb } from '../../components/Thumb'
import type { PageCache } from './page-cache'
import { isSelected, type Selection } from './selection'

/** What every cell gets besides its position (react-window `cellProps`). */
export interface GridCellData {
  readonly cache: PageCache
  /** Changes when pages land, so react-window re-renders the cells. */
  readonly version: number
  readonly columns: number
  readonly total: number
  readonly selection: Selection
  readonly thumbSize: 256 | 1024
  readonly mediaEpoch: number
  /** CLIP similarity per photo id while search results are shown. */
  readonly scores: ReadonlyMap<number, number> | null
  onCellClick(index: number, event: React.MouseEvent): void
  onCellOpen(index: number): void
}

/** One grid cell: a thumbnail (or a placeholder while its page loads). Presentational. */
export function GridCell(props: CellComponentProps<GridCellData>) {
  const { rowIndex, columnIndex, style, cache, columns, total, selection } = props
  const index = rowIndex * columns + columnIndex
  if (index >= total) return null
  const photo = cache.get(index)
  const selected = isSelected(selection, index)
  const focused = selection.focus === index
  const className = `grid-cell${selected ? ' selected' : ''}${focused ? ' focused' : ''}`
  if (!photo) {
    return (
      <div style={style} className={`${className} loading`} data-index={index}>
        <div className="grid-cell-inner" />
      </div>
    )
  }
  return (
    <div
      style={style}
      className={className}
      data-testid="grid-cell"
      data-index={index}
      data-photo-id={photo.id}
      aria-selected={selected}
      title={photo.path}
      onClick={(e) => props.onCellClick(index, e)}
      onDoubleClick={() => props.onCellOpen(index)}
    >
      <div className="grid-cell-inner">
        <Thumb
          id={photo.id}
          size={props.thumbSize}
          alt={photo.name}
          label={photo.format?.toUpperCase() ?? photo.name}
          epoch={props.mediaEpoch}
        />
        {photo.missing && <span className="badge warn">missing</span>}
        {props.scores?.has(photo.id) && (
          <span className="badge score" title="CLIP similarity">
            {(props.scores.get(photo.id) ?? 0).toFixed(2)}
          </span>
        )}
      </div>
      <div className="grid-cell-name">{photo.name}</div>
    </div>
  )
}
