/** A determinate bar (fraction 0–1) or an indeterminate one (null). */
export function ProgressBar(props: { fraction: number | null; label?: string }) {
  const pct = props.fraction === null ? null : Math.round(props.fraction * 1000) / 10
  return (
    <div
      className={`progress ${pct === null ? 'indeterminate' : ''}`}
      role="progressbar"
      aria-label={props.label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct ?? undefined}
    >
      <div className="progress-fill" style={{ width: pct === null ? '30%' : `${pct}%` }} />
    </div>
  )
}
