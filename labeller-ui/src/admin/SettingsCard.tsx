import { useEffect, useState, type SyntheticEvent } from 'react';
import {
  ACQUISITION_FUNCTION_NAMES,
  ACQUISITION_SETTING_BOUNDS,
  type AcquisitionSettings,
  type AcquisitionSettingsAnswer,
} from '@al/contract';
import { loadSettings, saveSettings } from './adminApi';

type Load =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'ok'; answer: AcquisitionSettingsAnswer };

/** The numeric settings the form edits; their ranges are the contract's. */
const NUMBER_FIELDS = [
  { key: 'min_distance', label: 'Min distance', step: 0.01 },
  { key: 'shuffle_prop', label: 'Shuffle proportion', step: 0.01 },
  { key: 'retrain_every_labels', label: 'Retrain every N labels', step: 1 },
] as const;

const asFunctionName = (value: string) => ACQUISITION_FUNCTION_NAMES.find((f) => f === value);

function NumberField(props: {
  field: (typeof NUMBER_FIELDS)[number];
  value: number;
  onChange: (value: number) => void;
}) {
  const { key, label, step } = props.field;
  const bounds: { min: number; max?: number } = ACQUISITION_SETTING_BOUNDS[key];
  const id = `setting-${key}`;
  return (
    <>
      <label htmlFor={id}>
        {bounds.max === undefined ? label : `${label} (${bounds.min}–${bounds.max})`}
      </label>
      <input
        id={id}
        type="number"
        step={step}
        min={bounds.min}
        max={bounds.max}
        value={Number.isNaN(props.value) ? '' : props.value}
        onChange={(e) => {
          props.onChange(e.target.valueAsNumber);
        }}
      />
    </>
  );
}

/** The form's inputs for `draft`; every change goes through `set`. */
function SettingsFields(props: {
  draft: AcquisitionSettings;
  choices: AcquisitionSettingsAnswer['choices'];
  set: (patch: Partial<AcquisitionSettings>) => void;
}) {
  const { draft, set } = props;
  return (
    <>
      <label htmlFor="setting-function">Acquisition function</label>
      <select
        id="setting-function"
        value={draft.function}
        onChange={(e) => {
          const name = asFunctionName(e.target.value);
          if (name) set({ function: name });
        }}
      >
        {props.choices.function.map((f) => (
          <option key={f}>{f}</option>
        ))}
      </select>
      <label htmlFor="setting-diversity">Diversity (k-center)</label>
      <input
        id="setting-diversity"
        type="checkbox"
        checked={draft.diversity}
        onChange={(e) => {
          set({ diversity: e.target.checked });
        }}
      />
      {NUMBER_FIELDS.map((field) => (
        <NumberField
          key={field.key}
          field={field}
          value={draft[field.key]}
          onChange={(v) => {
            set({ [field.key]: v });
          }}
        />
      ))}
    </>
  );
}

/** Acquisition settings of the project; ranges and validation are the contract's. */
export function SettingsCard({ project, token }: { project: string; token: string }) {
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [draft, setDraft] = useState<AcquisitionSettings>();
  const [message, setMessage] = useState<{ text: string; error: boolean }>();

  useEffect(() => {
    loadSettings(project, token).then(
      (answer) => {
        setLoad({ kind: 'ok', answer });
        setDraft(answer.settings);
      },
      (err: unknown) => {
        setLoad({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
      },
    );
  }, [project, token]);

  const set = (patch: Partial<AcquisitionSettings>) => {
    setDraft((d) => (d ? { ...d, ...patch } : d));
    setMessage(undefined);
  };
  const save = (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!draft) return;
    saveSettings(project, token, draft).then(
      (answer) => {
        setDraft(answer.settings);
        setMessage({ text: 'Saved. The next retrain uses these settings.', error: false });
      },
      (err: unknown) => {
        setMessage({ text: err instanceof Error ? err.message : String(err), error: true });
      },
    );
  };

  return (
    <section className="card" aria-labelledby="settings-title">
      <h2 id="settings-title">Acquisition settings</h2>
      {load.kind === 'loading' && <p className="muted">Loading…</p>}
      {load.kind === 'error' && (
        <p className="error" role="alert">
          {load.message}
        </p>
      )}
      {load.kind === 'ok' && load.answer.problem && (
        <p className="error">
          Stored settings are invalid, showing defaults: {load.answer.problem}
        </p>
      )}
      {load.kind === 'ok' && draft && (
        <form className="settings-form" onSubmit={save} data-testid="settings-form">
          <SettingsFields draft={draft} choices={load.answer.choices} set={set} />
          <div className="full button-row">
            <button type="submit" className="primary">
              Save settings
            </button>
            <span role="status" className={message?.error ? 'error' : 'muted'}>
              {message?.text}
            </span>
          </div>
        </form>
      )}
    </section>
  );
}
