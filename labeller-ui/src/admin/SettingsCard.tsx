import { useEffect, useState, type SyntheticEvent } from 'react';
import {
  ACQUISITION_FUNCTION_NAMES,
  ACQUISITION_SETTING_BOUNDS as BOUNDS,
  type AcquisitionSettings,
  type AcquisitionSettingsAnswer,
} from '@al/contract';
import { loadSettings, saveSettings } from './adminApi';

type Load =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'ok'; answer: AcquisitionSettingsAnswer };

const range = (bounds: { min: number; max: number }) => `${bounds.min}–${bounds.max}`;
const asFunctionName = (value: string) => ACQUISITION_FUNCTION_NAMES.find((f) => f === value);

function NumberField(props: {
  id: string;
  label: string;
  value: number;
  step: number;
  min: number;
  max?: number;
  onChange: (value: number) => void;
}) {
  return (
    <>
      <label htmlFor={`setting-${props.id}`}>{props.label}</label>
      <input
        id={`setting-${props.id}`}
        type="number"
        step={props.step}
        min={props.min}
        max={props.max}
        value={Number.isNaN(props.value) ? '' : props.value}
        onChange={(e) => {
          props.onChange(e.target.valueAsNumber);
        }}
      />
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
          <label htmlFor="setting-function">Acquisition function</label>
          <select
            id="setting-function"
            value={draft.function}
            onChange={(e) => {
              const name = asFunctionName(e.target.value);
              if (name) set({ function: name });
            }}
          >
            {load.answer.choices.function.map((f) => (
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
          <NumberField
            id="min_distance"
            label={`Min distance (${range(BOUNDS.min_distance)})`}
            value={draft.min_distance}
            step={0.01}
            min={BOUNDS.min_distance.min}
            max={BOUNDS.min_distance.max}
            onChange={(v) => {
              set({ min_distance: v });
            }}
          />
          <NumberField
            id="shuffle_prop"
            label={`Shuffle proportion (${range(BOUNDS.shuffle_prop)})`}
            value={draft.shuffle_prop}
            step={0.01}
            min={BOUNDS.shuffle_prop.min}
            max={BOUNDS.shuffle_prop.max}
            onChange={(v) => {
              set({ shuffle_prop: v });
            }}
          />
          <NumberField
            id="retrain_every_labels"
            label="Retrain every N labels"
            value={draft.retrain_every_labels}
            step={1}
            min={BOUNDS.retrain_every_labels.min}
            onChange={(v) => {
              set({ retrain_every_labels: v });
            }}
          />
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
