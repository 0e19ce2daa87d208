import type { FolderCount } from '../../../shared/contract/photos'

/** One node of the sidebar's folder tree. */
export interface FolderNode {
  /** Full path of the folder. */
  readonly path: string
  /** Last path segment (or the whole root path for a root). */
  readonly name: string
  /** Photos directly in this folder. */
  readonly own: number
  /** Photos in this folder and every sub-folder. */
  readonly total: number
  readonly children: readonly FolderNode[]
}

interface MutableNode {
  path: string
  name: string
  own: number
  total: number
  children: Map<string, MutableNode>
}

function splitPath(folder: string): { root: string; parts: string[] } {
  const normalised = folder.replace(/\\/g, '/')
  const drive = /^[A-Za-z]:\//.exec(normalised)?.[0] ?? (normalised.startsWith('/') ? '/' : '')
  const parts = normalised.slice(drive.length).split('/').filter(Boolean)
  return { root: drive, parts }
}

function joinPath(root: string, parts: readonly string[], separator: string): string {
  const body = parts.join(separator)
  if (root === '/') return `/${body}`
  return root ? `${root.replace(/\//g, separator)}${body}` : body
}

/**
 * Builds the tree from per-folder counts (the catalog returns direct counts only). Chains of
 * folders with no photos of their own and a single child are collapsed into one node
 * (`/home/me/Pictures`), as file managers do, so the tree starts where the photos are.
 */
export function buildFolderTree(folders: readonly FolderCount[]): FolderNode[] {
  const separator = folders.some((f) => f.folder.includes('\\')) ? '\\' : '/'
  const top = new Map<string, MutableNode>()
  for (const { folder, count } of folders) {
    const { root, parts } = splitPath(folder)
    const rootKey = root || '.'
    let node = top.get(rootKey)
    if (!node) {
      node = {
        path: joinPath(root, [], separator),
        name: root || '.',
        own: 0,
        total: 0,
        children: new Map(),
      }
      top.set(rootKey, node)
    }
    node.total += count
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string
      let child: MutableNode | undefined = node.children.get(part)
      if (!child) {
        child = {
          path: joinPath(root, parts.slice(0, i + 1), separator),
          name: part,
          own: 0,
          total: 0,
          children: new Map(),
        }
        node.children.set(part, child)
      }
      child.total += count
      node = child
    }
    node.own += count
  }
  const freeze = (node: MutableNode): FolderNode => {
    let current = node
    let name = node.name
    // Collapse "only child, no own photos" chains into one label.
    while (current.own === 0 && current.children.size === 1) {
      const only = current.children.values().next().value as MutableNode
      name = name === '/' ? `/${only.name}` : `${name}${separator}${only.name}`
      current = only
    }
    const children = [...current.children.values()]
      .map(freeze)
      .sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }))
    return { path: current.path, name, own: current.own, total: current.total, children }
  }
  return [...top.values()].map(freeze)
}
