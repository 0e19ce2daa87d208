import { useSearchStore } from './search.store'

export function SearchBox() {
  const text = useSearchStore((s) => s.text)
  return (
    <input
      className="search-box"
      type="search"
      placeholder="Search file names and cameras"
      aria-label="Search"
      data-testid="search-box"
      value={text}
      onChange={(e) => useSearchStore.getState().setText(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') useSearchStore.getState().submit()
      }}
    />
  )
}
