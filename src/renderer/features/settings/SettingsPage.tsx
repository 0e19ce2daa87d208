import { useState, type ReactNode } from 'react'
import type { Settings } from '../../../shared/settings'
import { api } from '../../api/client'
import { errorMessage } from '../../api/api-error'
import { ValueRow } from '../../components/ValueTable'
import { useSearchStore } from '../search/search.store'
import { useSettingsStore, type SettingsPatch } from './settings.store'

/** One setting: its label, the control, and a line of help under it. */
function Setting(props: { label: string; help: ReactNode; children: ReactNode }) {
  return (
    <label className="setting">
      <span className="setting-label">{props.label}</span>
      {props.children}
      <span className="setting-help">{props.help}</span>
    </label>
  )
}

/** A field's current value and how a new one is saved (see SettingsForm's `bind`). */
interface Bound<T> {
  value: T
  onSave(value: T): void
}

function NumberField(
  props: { label: string; help: string; min: number; max: number; step?: number } & Bound<number>,
) {
  const [text, setText] = useState(String(props.value))
  return (
    <Setting label={props.label} help={props.help}>
      <input
        type="number"
        min={props.min}
        max={props.max}
        step={props.step ?? 1}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => {
          const n = Number(text)
          if (Number.isFinite(n) && n >= props.min && n <= props.max && n !== props.value)
            props.onSave(n)
          else setText(String(props.value))
        }}
      />
    </Setting>
  )
}

function TextField(props: { label: string; help: string; placeholder?: string } & Bound<string>) {
  const [text, setText] = useState(props.value)
  return (
    <Setting label={props.label} help={props.help}>
      <input
        type="text"
        value={text}
        placeholder={props.placeholder}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => text !== props.value && props.onSave(text)}
      />
    </Setting>
  )
}

/** The CLIP model: validated by the engine (search.setModel) before it becomes active. */
function ClipModelField(props: { dir: string }) {
  const model = useSearchStore((s) => s.model)
  const [status, setStatus] = useState<string | null>(null)
  return (
    <>
      <TextField
        label="CLIP model folder"
        help="A folder with a CLIP image encoder and text encoder (ONNX) and tokenizer.json. Run the CLIP job after setting it; the search box then finds photos by description."
        value={props.dir}
        placeholder="(no model: search matches file names and cameras)"
        onSave={(dir) => {
          if (!dir) return
          setStatus('Checking the model…')
          api()
            .search.setModel({ dir })
            .then(
              async (info) => {
                setStatus(
                  `Active: ${info.name} (${info.dim}-d). Run the CLIP job to embed your photos.`,
                )
                await useSearchStore.getState().loadModel()
                await useSettingsStore.getState().load()
              },
              (error: unknown) => setStatus(`Not a usable CLIP model: ${errorMessage(error)}`),
            )
        }}
      />
      {(status ?? model) && (
        <p className="setting-help" data-testid="clip-status">
          {status ??
            (model
              ? `Active model ${model.name}: ${model.embedded.toLocaleString()} of ${model.photos.toLocaleString()} photos embedded.`
              : '')}
        </p>
      )}
    </>
  )
}

function SettingsForm(props: { settings: Settings; save(patch: SettingsPatch): void }) {
  const { settings, save } = props
  const bind = <K extends keyof Settings>(key: K): Bound<Settings[K]> => ({
    value: settings[key],
    onSave: (value) => save({ [key]: value }),
  })
  return (
    <>
      <h2>Review</h2>
      <NumberField
        label="Duplicate threshold"
        help="Largest aHash and dHash distance (both must match) for two photos to count as near duplicates. Lower is stricter; 5 is a good default."
        {...bind('duplicateThreshold')}
        min={0}
        max={32}
      />
      <NumberField
        label="Burst gap (seconds)"
        help="Largest time between consecutive frames of one burst."
        {...bind('burstGapSeconds')}
        min={0}
        max={60}
        step={0.5}
      />
      <h2>Performance</h2>
      <NumberField
        label="Worker processes"
        help="Processes that decode and analyse photos. 0 = one less than the CPU cores. Applies to jobs started after a restart."
        {...bind('workerCount')}
        min={0}
        max={64}
      />
      <TextField
        label="Thumbnail cache folder"
        help="Where thumbnails and previews are written. Empty = beside the catalog file."
        {...bind('thumbnailDir')}
        placeholder="(beside the catalog)"
      />
      <h2>Map</h2>
      <TextField
        label="Online map tiles"
        help="A tile URL template such as https://tile.example.org/{z}/{x}/{y}.png. Empty = the bundled offline world outline only (works with no network). In a browser, reload the page after changing it (the page's security policy names the tile host)."
        {...bind('mapTileUrl')}
        placeholder="(offline outline only)"
      />
      <h2>Search</h2>
      <ClipModelField dir={settings.clipModelDir} />
      <h2>Appearance</h2>
      <Setting
        label="Theme"
        help="“Follow the system” switches with your desktop's light/dark preference."
      >
        <select
          value={settings.theme}
          data-testid="theme-select"
          onChange={(e) => save({ theme: e.target.value as Settings['theme'] })}
        >
          <option value="system">Follow the system</option>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </select>
      </Setting>
    </>
  )
}

/** Settings: catalog facts plus every user setting, saved on change. */
export function SettingsPage() {
  const settings = useSettingsStore((s) => s.settings)
  const info = useSettingsStore((s) => s.info)
  const error = useSettingsStore((s) => s.error)
  const saving = useSettingsStore((s) => s.saving)
  return (
    <div className="page settings-page" data-testid="settings-page">
      <h1>Settings {saving && <span className="muted">saving…</span>}</h1>
      {error && <p className="error-text">{error}</p>}
      <h2>Catalog</h2>
      {info && (
        <dl className="value-table">
          <ValueRow label="Catalog file">
            <code>{info.catalogPath}</code>
          </ValueRow>
          <ValueRow label="Photos">{info.photoCount.toLocaleString()}</ValueRow>
          <ValueRow label="Cache folder">
            <code>{info.cacheDir}</code>
          </ValueRow>
          <ValueRow label="Schema version">{info.schemaVersion}</ValueRow>
        </dl>
      )}
      <p className="setting-help">
        To use another catalog, start the app with <code>--catalog FILE</code> (or set{' '}
        <code>VAM_CATALOG</code>); the CLI uses the same option. Backups are kept beside the catalog
        file.
      </p>
      {settings && (
        <SettingsForm
          key={JSON.stringify(settings)}
          settings={settings}
          save={(p) => void useSettingsStore.getState().update(p)}
        />
      )}
    </div>
  )
}
