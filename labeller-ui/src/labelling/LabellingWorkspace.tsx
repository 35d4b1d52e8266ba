import { useEffect, useState } from 'react';
import type { Project } from '../api/http';
import { LabellerConnection } from '../socket/labellerConnection';
import { LabellingSession } from './labellingSession';
import { LabellingView } from './LabellingView';
import { imageSizeForViewport } from './preloadImage';
import { loadLabellerToken, saveLabellerToken } from './storedToken';

/** The server's handshake refusal when LABELLER_TOKEN is set and none (or a wrong one) was given. */
const TOKEN_REFUSAL = /labeller token/i;

/** Owns the connection and session for one labeller in one project. */
export function LabellingWorkspace(props: {
  name: string;
  project: Project;
  onChangeName: () => void;
}) {
  const { name, project } = props;
  const [token, setToken] = useState(loadLabellerToken);
  const [session, setSession] = useState<LabellingSession>();

  useEffect(() => {
    // The image area is about 60% of the width on a laptop and full width on a tablet.
    const wide = window.innerWidth >= 900;
    const size = imageSizeForViewport(
      wide ? window.innerWidth * 0.6 : window.innerWidth,
      window.innerHeight - 120,
      window.devicePixelRatio,
    );
    const auth =
      token === undefined
        ? { name, project: project.name }
        : { name, project: project.name, token };
    const created = new LabellingSession(new LabellerConnection(auth), size);
    setSession(created);
    return () => {
      created.close();
    };
  }, [name, project.name, token]);

  if (!session) return null;
  return (
    <LabellingView
      session={session}
      name={name}
      project={project}
      onChangeName={props.onChangeName}
      needsToken={TOKEN_REFUSAL}
      onToken={(t) => {
        saveLabellerToken(t);
        setToken(t);
      }}
    />
  );
}
