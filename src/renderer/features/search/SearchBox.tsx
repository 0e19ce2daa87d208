import { useSearchStore } from './search.store'

export function SearchBox() {
  const text = useSearchStore((s) => s.text)
  const model = useSearchStore((s) => s.model)
  return (
    <input
      className="search-box"
      type="search"
      placeholder={
        model ? `Describe a photo (CLIP: ${model.name})` : 'Search file names and cameras'
      }
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
