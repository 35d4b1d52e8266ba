import { useSyncExternalStore } from 'react';
import type { Project } from '../api/http';
import type { LabellingSession } from './labellingSession';
import { ImageStage } from './ImageStage';
import { LiveStatus } from './LiveStatus';
import { OptionPanel } from './OptionPanel';
import { StatusBar } from './StatusBar';
import { TokenForm } from './TokenForm';
import { useSampleChoice } from './useSampleChoice';
import { useShortcutKeys } from './useShortcutKeys';

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
  const { selected, choose, submitMulti } = useSampleChoice(session, sampleId, multiLabel);
  useShortcutKeys(session, { choose, submitMulti, options, sampleId });

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
          labeller={props.name}
          options={options}
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
      <LiveStatus snap={snap} />
    </div>
  );
}
