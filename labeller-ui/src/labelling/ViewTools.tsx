import {
  clampAdjustments,
  isNeutral,
  NEUTRAL,
  RANGES,
  type Adjustments,
} from './displayAdjustments';
import { VIEWER_KEY_HELP } from './viewerKeys';

const SLIDERS: { key: keyof Adjustments; label: string }[] = [
  { key: 'brightness', label: 'Brightness' },
  { key: 'contrast', label: 'Contrast' },
  { key: 'gamma', label: 'Gamma' },
];

/**
 * Brightness, contrast and gamma sliders over the image. A slider lets go of the keyboard focus
 * when the pointer is released, so the labelling keys keep working after a drag.
 */
export function ViewTools(props: { adjustments: Adjustments; onChange: (a: Adjustments) => void }) {
  const { adjustments } = props;
  return (
    <div className="view-tools" role="group" aria-label="Display" title={VIEWER_KEY_HELP}>
      {SLIDERS.map(({ key, label }) => (
        <label key={key} className="view-slider">
          <span>{label}</span>
          <input
            type="range"
            aria-label={label}
            min={RANGES[key].min}
            max={RANGES[key].max}
            step={RANGES[key].step}
            value={adjustments[key]}
            onChange={(event) => {
              props.onChange(
                clampAdjustments({ ...adjustments, [key]: Number(event.currentTarget.value) }),
              );
            }}
            onPointerUp={(event) => {
              event.currentTarget.blur();
            }}
          />
          <output>{adjustments[key].toFixed(1)}</output>
        </label>
      ))}
      <button
        type="button"
        disabled={isNeutral(adjustments)}
        onClick={(event) => {
          props.onChange(NEUTRAL);
          event.currentTarget.blur();
        }}
      >
        Reset
      </button>
    </div>
  );
}
