import { describe, expect, it } from 'vitest'
import { buildFolderTree } from '../../src/renderer/features/library/folder-tree'

describe(buildFolderTree.name, () => {
  it('sums counts up the tree and collapses empty single-child chains', () => {
    const tree = buildFolderTree([
      { folder: '/home/me/Pictures/2020', count: 3 },
      { folder: '/home/me/Pictures/2021/summer', count: 5 },
      { folder: '/home/me/Pictures/2021', count: 1 },
    ])
    expect(tree).toHaveLength(1)
    const root = tree[0]
    expect(root?.name).toBe('/home/me/Pictures')
    expect(root?.path).toBe('/home/me/Pictures')
    expect(root?.total).toBe(9)
    expect(root?.children.map((c) => [c.name, c.own, c.total])).toEqual([
      ['2020', 3, 3],
      ['2021', 1, 6],
    ])
    expect(root?.children[1]?.children[0]?.path).toBe('/home/me/Pictures/2021/summer')
  })

  it('keeps Windows paths and separate drives apart', () => {
    const tree = buildFolderTree([
      { folder: 'C:\\Photos\\a', count: 2 },
      { folder: 'D:\\Backup', count: 4 },
    ])
    expect(tree.map((n) => [n.path, n.total])).toEqual([
      ['C:\\Photos\\a', 2],
      ['D:\\Backup', 4],
    ])
  })

  it('orders siblings naturally (2 before 10)', () => {
    const tree = buildFolderTree([
      { folder: '/p/10', count: 1 },
      { folder: '/p/2', count: 1 },
      { folder: '/p', count: 1 },
    ])
    expect(tree[0]?.children.map((c) => c.name)).toEqual(['2', '10'])
  })
})
