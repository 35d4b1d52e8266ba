import type { ConnectionState } from '../socket/labellerConnection';
import type { SessionSnapshot } from './labellingSession';

const CONNECTION_LABEL: Record<ConnectionState, string> = {
  connecting: 'Connecting',
  connected: 'Online',
  reconnecting: 'Reconnecting',
  disconnected: 'Offline',
};

export function StatusBar(props: {
  snap: SessionSnapshot;
  name: string;
  project: string;
  onChangeName: () => void;
}) {
  const { snap } = props;
  const progress = snap.progress;
  const percent = progress && progress.total > 0 ? (100 * progress.done) / progress.total : 0;
  const model = snap.model;
  return (
    <header className="topbar">
      <div className="topbar-title">
        <h1>{props.project}</h1>
        <span className={`badge badge-${snap.connection}`} data-testid="connection">
          {CONNECTION_LABEL[snap.connection]}
          {snap.pending > 0 && ` · ${snap.pending} queued`}
        </span>
        {model && <span className="badge">Model v{model.version}</span>}
      </div>
      <div className="topbar-progress">
        <label htmlFor="project-progress">
          Project: {progress ? `${progress.done} / ${progress.total} done` : '…'}
        </label>
        <progress id="project-progress" max={100} value={percent} />
      </div>
      <div className="topbar-user">
        <span data-testid="mine">
          {props.name}: <strong>{progress?.mine ?? 0}</strong> labels
        </span>
        <button type="button" className="link-button" onClick={props.onChangeName}>
          Change name
        </button>
      </div>
    </header>
  );
}
