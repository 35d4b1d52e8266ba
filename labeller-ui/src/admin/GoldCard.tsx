import type { GoldList } from '@al/contract';
import { useState, type SyntheticEvent } from 'react';
import { loadGold, saveGoldShare, uploadGoldCsv } from './goldApi';
import { formatAccuracy } from './format';
import { usePolling, valueOf } from './usePolling';

/** Most gold images listed: the ones labellers get wrong most often come first. */
const SHOWN_ITEMS = 20;

/** The file and its folder: enough to tell images apart without the whole path. */
const shortName = (uri: string) => uri.split('/').slice(-2).join('/');

function GoldTable({ gold }: { gold: GoldList }) {
  const rate = (i: GoldList['items'][number]) => (i.answers === 0 ? 1 : i.correct / i.answers);
  const items = [...gold.items].sort((a, b) => rate(a) - rate(b)).slice(0, SHOWN_ITEMS);
  return (
    <table aria-label="Gold images">
      <thead>
        <tr>
          <th scope="col">Image</th>
          <th scope="col">Gold answer</th>
          <th scope="col" className="num">
            Answers
          </th>
          <th scope="col" className="num">
            Right
          </th>
        </tr>
      </thead>
      <tbody>
        {items.map((i) => (
          <tr key={i.sampleId}>
            <th scope="row" title={i.uri}>
              {shortName(i.uri)}
            </th>
            <td>{Array.isArray(i.label) ? i.label.join(', ') : i.label}</td>
            <td className="num">{i.answers}</td>
            <td className="num">{i.answers === 0 ? '–' : formatAccuracy(i.correct / i.answers)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Gold checks: images with known answers that the queue mixes into every labeller's stream at
 * the share set here; each labeller's score on them shows in the labeller table.
 */
export function GoldCard({ project, token }: { project: string; token: string }) {
  const [gold, refresh] = usePolling(() => loadGold(project, token), 15_000, project);
  const [sharePercent, setSharePercent] = useState<string>();
  const [message, setMessage] = useState<{ error: boolean; text: string }>();
  const [busy, setBusy] = useState(false);
  const current = valueOf(gold);

  const run = (action: () => Promise<string>) => {
    setBusy(true);
    setMessage(undefined);
    action()
      .then(
        (text) => {
          setMessage({ error: false, text });
          refresh();
        },
        (err: unknown) => {
          setMessage({ error: true, text: err instanceof Error ? err.message : String(err) });
        },
      )
      .finally(() => {
        setBusy(false);
      });
  };
  const upload = (file: File) => {
    run(async () => {
      const { added } = await uploadGoldCsv(project, token, await file.text());
      return `Added ${String(added)} gold answers from ${file.name}.`;
    });
  };
  const saveShare = (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    const percent = Number(sharePercent);
    run(async () => {
      await saveGoldShare(project, token, percent / 100);
      return `Gold share set to ${String(percent)}%.`;
    });
  };

  return (
    <section className="card" aria-labelledby="gold-title" data-testid="gold-card">
      <h2 id="gold-title">Gold checks</h2>
      <p className="muted">
        Upload a CSV with <code>uri,label</code> columns (multi-label: options joined by |; an empty
        label promotes the image’s review). Gold images are mixed into each labeller’s stream and
        cannot be told apart from the others.
      </p>
      <div className="gold-controls">
        <label>
          Gold CSV{' '}
          <input
            type="file"
            accept=".csv,text/csv"
            disabled={busy}
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              if (file) upload(file);
              e.currentTarget.value = '';
            }}
          />
        </label>
        <form onSubmit={saveShare}>
          <label>
            Share of hand-outs (%){' '}
            <input
              type="number"
              min={0}
              max={50}
              step={1}
              size={4}
              value={sharePercent ?? (current ? String(Math.round(current.share * 100)) : '')}
              onChange={(e) => {
                setSharePercent(e.currentTarget.value);
              }}
            />
          </label>{' '}
          <button type="submit" disabled={busy || sharePercent === undefined}>
            Save share
          </button>
        </form>
      </div>
      {message && (
        <p className={message.error ? 'error' : 'muted'} role={message.error ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      {gold.kind === 'error' && (
        <p className="error" role="alert">
          {gold.message}
        </p>
      )}
      {current &&
        (current.items.length === 0 ? (
          <p className="muted">No gold images yet.</p>
        ) : (
          <>
            <p data-testid="gold-count">
              {current.items.length} gold images, {Math.round(current.share * 100)}% of hand-outs.
            </p>
            <GoldTable gold={current} />
          </>
        ))}
    </section>
  );
}
