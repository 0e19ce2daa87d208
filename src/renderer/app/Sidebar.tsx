import { useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { buildFolderTree, type FolderNode } from '../features/library/folder-tree'
import { useLibraryStore } from '../features/library/library.store'
import { selectRecentFolders, useSettingsStore } from '../features/settings/settings.store'
import { useCountsStore } from './counts.store'
import { useUiStore, type View } from './ui.store'
import { useMemo } from 'react'

function NavItem(props: { view: View; label: string; count?: number | null; testId?: string }) {
  const current = useUiStore((s) => s.view)
  return (
    <button
      className={`nav-item ${current === props.view ? 'current' : ''}`}
      onClick={() => useUiStore.getState().go(props.view)}
      data-testid={props.testId ?? `nav-${props.view}`}
      aria-current={current === props.view ? 'page' : undefined}
    >
      <span>{props.label}</span>
      {props.count !== undefined && props.count !== null && (
        <span className="count">{props.count.toLocaleString()}</span>
      )}
    </button>
  )
}

function FolderItem(props: { node: FolderNode; depth: number; selected: string | undefined }) {
  const { node, depth } = props
  const [open, setOpen] = useState(depth < 1)
  const pick = () => {
    useLibraryStore.getState().setFilter({ folder: node.path, recursive: true })
    useUiStore.getState().go('library')
  }
  return (
    <li>
      <div
        className={`folder-item ${props.selected === node.path ? 'current' : ''}`}
        style={{ paddingLeft: 8 + depth * 12 }}
      >
        {node.children.length > 0 ? (
          <button
            className="twisty"
            aria-label={open ? 'Collapse' : 'Expand'}
            onClick={() => setOpen(!open)}
          >
            {open ? '▾' : '▸'}
          </button>
        ) : (
          <span className="twisty" />
        )}
        <button className="folder-name" onClick={pick} title={node.path} data-testid="folder-item">
          {node.name}
        </button>
        <span className="count">{node.total.toLocaleString()}</span>
      </div>
      {open && node.children.length > 0 && (
        <ul>
          {node.children.map((c) => (
            <FolderItem key={c.path} node={c} depth={depth + 1} selected={props.selected} />
          ))}
        </ul>
      )}
    </li>
  )
}

/** The left sidebar: library (all, folders, recent imports), review, map, health, settings. */
export function Sidebar() {
  const { folders, folder, total, hasFilter } = useLibraryStore(
    useShallow((s) => ({
      folders: s.folders,
      folder: s.query.filter.folder,
      total: s.total,
      hasFilter: Object.keys(s.query.filter).length > 0,
    })),
  )
  const recent = useSettingsStore(selectRecentFolders)
  const counts = useCountsStore(
    useShallow((s) => ({ errors: s.errors, duplicates: s.duplicates, bursts: s.bursts })),
  )
  const tree = useMemo(() => buildFolderTree(folders), [folders])
  const photoCount = folders.reduce((n, f) => n + f.count, 0)
  return (
    <nav className="sidebar" aria-label="Sidebar">
      <h4>Library</h4>
      <button
        className={`nav-item ${!hasFilter && useUiStore.getState().view === 'library' ? 'current' : ''}`}
        data-testid="nav-all-photos"
        onClick={() => {
          useLibraryStore.getState().replaceFilter({})
          useUiStore.getState().go('library')
        }}
      >
        <span>All photos</span>
        <span className="count">
          {(hasFilter ? photoCount : (total ?? photoCount)).toLocaleString()}
        </span>
      </button>
      <NavItem view="import" label="Import…" />
      {tree.length > 0 && (
        <>
          <h5>Folders</h5>
          <ul className="folder-tree" data-testid="folder-tree">
            {tree.map((n) => (
              <FolderItem key={n.path} node={n} depth={0} selected={folder} />
            ))}
          </ul>
        </>
      )}
      {recent.length > 0 && (
        <>
          <h5>Recent imports</h5>
          <ul className="recent-list">
            {recent.slice(0, 5).map((f) => (
              <li key={f}>
                <button
                  className="folder-name"
                  title={f}
                  onClick={() => {
                    useLibraryStore.getState().setFilter({ folder: f, recursive: true })
                    useUiStore.getState().go('library')
                  }}
                >
                  {f.split(/[\\/]/).filter(Boolean).pop() ?? f}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <h4>Review</h4>
      <NavItem view="duplicates" label="Duplicates" count={counts.duplicates} />
      <NavItem view="bursts" label="Bursts" count={counts.bursts} />
      <NavItem view="errors" label="Errors" count={counts.errors} />
      <h4>Places</h4>
      <NavItem view="map" label="Map" />
      <h4>Catalog</h4>
      <NavItem view="health" label="Health" />
      <NavItem view="settings" label="Settings" />
    </nav>
  )
}
