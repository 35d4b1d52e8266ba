import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { Project } from '../api/http';
import type { LabellingSession, SessionSnapshot } from './labellingSession';
import { ImageStage } from './ImageStage';
import { OptionPanel } from './OptionPanel';
import { StatusBar } from './StatusBar';
import { TokenForm } from './TokenForm';
import { isShortcutEvent, optionIndexForKey } from './shortcuts';

interface Choice {
  id: number | undefined;
  values: string[];
}

/** One sentence for the live region: what state the page is in right now. */
function statusText(snap: SessionSnapshot): string {
  const queued = snap.pending > 0 ? ` ${snap.pending} label(s) queued; they will be sent.` : '';
  switch (snap.connection) {
    case 'connecting':
      return 'Connecting…';
    case 'reconnecting':
      return `Connection lost, reconnecting…${queued}`;
    case 'disconnected':
      return snap.refusal ? `Not connected: ${snap.refusal}` : 'Disconnected.';
    case 'connected':
      if (snap.status === 'empty') return 'Nothing left to label for now. Thank you!';
      if (snap.status === 'loading')
        return `Loading the next image…${snap.notice ? ` ${snap.notice}` : ''}`;
      return snap.notice ?? '';
  }
}

export function LabellingView(props: {
  session: LabellingSession;
  name: string;
  project: Project;
  onChangeName: () => void;
  needsToken: RegExp;
  onToken: (token: string) => void;
}) {
  const { session } = props;
  const snap = useSyncExternalStore(session.subscribe, session.getSnapshot);
  const sampleId = snap.current?.sample.id;
  const multiLabel = snap.current?.sample.multiLabel ?? props.project.multiLabel;
  const options = snap.current?.sample.options ?? props.project.options;
  // Multi-label choices belong to the sample shown; a new sample starts with none. The ref
  // holds the choice as of the last key, so two keys pressed before a re-render both count.
  const [choice, setChoice] = useState<Choice>({ id: undefined, values: [] });
  const choiceRef = useRef(choice);
  const selected = choice.id === sampleId ? choice.values : [];

  const toggle = (option: string) => {
    if (!session.actionable(sampleId, `“${option}” was not toggled`)) return;
    const prev = choiceRef.current;
    const before = prev.id === sampleId ? prev.values : [];
    const values = before.includes(option)
      ? before.filter((v) => v !== option)
      : [...before, option];
    choiceRef.current = { id: sampleId, values };
    setChoice(choiceRef.current);
  };
  // Actions name the sample on screen, so one never lands on a sample that is not shown yet.
  const choose = (option: string) => {
    if (multiLabel) toggle(option);
    else session.label(option, sampleId);
  };
  const submitMulti = () => {
    const now = choiceRef.current;
    if (now.id === sampleId && now.values.length > 0) session.label(now.values, sampleId);
  };

  // The key handler reads the latest render through a ref, so it is bound once.
  const latest = useRef({ choose, submitMulti, options, sampleId });
  latest.current = { choose, submitMulti, options, sampleId };
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!isShortcutEvent(event)) return;
      const now = latest.current;
      const key = event.key.toLowerCase();
      if (key === 'backspace' || key === 'z') {
        event.preventDefault();
        session.undo();
        return;
      }
      if (key === 's') {
        event.preventDefault();
        session.skip(now.sampleId);
        return;
      }
      if (key === 'enter') {
        // Enter on a focused button activates that button instead.
        if (event.target instanceof HTMLButtonElement) return;
        event.preventDefault();
        now.submitMulti();
        return;
      }
      const option = now.options[optionIndexForKey(now.options, key)];
      if (option !== undefined) {
        event.preventDefault();
        now.choose(option);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, [session]);

  if (snap.refusal !== undefined && props.needsToken.test(snap.refusal)) {
    return <TokenForm refusal={snap.refusal} onToken={props.onToken} />;
  }
  return (
    <div className="workspace">
      <StatusBar
        snap={snap}
        name={props.name}
        project={props.project.name}
        onChangeName={props.onChangeName}
      />
      <main className="stage">
        <ImageStage
          snap={snap}
          onRetry={() => {
            session.retry();
          }}
        />
        <OptionPanel
          snap={snap}
          options={options}
          multiLabel={multiLabel}
          selected={selected}
          onChoose={choose}
          onSubmit={submitMulti}
          onSkip={() => {
            session.skip(sampleId);
          }}
          onUndo={() => {
            session.undo();
          }}
        />
      </main>
      <p className="visually-hidden" role="status" aria-live="polite" data-testid="live-status">
        {statusText(snap)}
      </p>
    </div>
  );
}
