import { useEffect, useState, type SyntheticEvent } from 'react';
import { loadSettings, saveSettings, type Settings, type SettingsAnswer } from './adminApi';

type Load =
  { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ok'; answer: SettingsAnswer };

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

/** Acquisition settings of the project; the server validates with the orchestrator's schema. */
export function SettingsCard({ project, token }: { project: string; token: string }) {
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [draft, setDraft] = useState<Settings>();
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

  const set = (patch: Partial<Settings>) => {
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
              set({ function: e.target.value });
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
            label="Min distance (0–2)"
            value={draft.min_distance}
            step={0.01}
            min={0}
            max={2}
            onChange={(v) => {
              set({ min_distance: v });
            }}
          />
          <NumberField
            id="shuffle_prop"
            label="Shuffle proportion (0–1)"
            value={draft.shuffle_prop}
            step={0.01}
            min={0}
            max={1}
            onChange={(v) => {
              set({ shuffle_prop: v });
            }}
          />
          <NumberField
            id="retrain_every_labels"
            label="Retrain every N labels"
            value={draft.retrain_every_labels}
            step={1}
            min={1}
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
