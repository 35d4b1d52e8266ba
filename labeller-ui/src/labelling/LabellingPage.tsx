import { useEffect, useState } from 'react';
import { ProjectListSchema } from '@al/contract';
import { fetchJson, HttpError, type Project } from '../api/http';
import { LabellingWorkspace } from './LabellingWorkspace';
import { NamePrompt } from './NamePrompt';
import { ProjectPicker } from './ProjectPicker';
import { forgetName, loadName, saveName } from './storedName';
import { loadLabellerToken, saveLabellerToken } from './storedToken';
import { TokenForm } from './TokenForm';

type Projects =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'token'; refusal: string }
  | { kind: 'ok'; list: Project[] };

function projectFromUrl(): string | undefined {
  return new URLSearchParams(window.location.search).get('project') ?? undefined;
}

/** The project list, loaded again whenever the labeller token changes. */
function useProjects(token: string | undefined): Projects {
  const [projects, setProjects] = useState<Projects>({ kind: 'loading' });
  useEffect(() => {
    setProjects({ kind: 'loading' });
    fetchJson('/api/projects', ProjectListSchema, { token }).then(
      (list) => {
        setProjects({ kind: 'ok', list });
      },
      (err: unknown) => {
        // The server requires a labeller token (and ours is missing or wrong): ask for it.
        if (err instanceof HttpError && err.status === 401) {
          setProjects({ kind: 'token', refusal: err.message });
          return;
        }
        setProjects({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
      },
    );
  }, [token]);
  return projects;
}

/** Name once (remembered), then a project (picked when several), then the workspace. */
export function LabellingPage() {
  const [name, setName] = useState(loadName);
  const [chosen, setChosen] = useState(projectFromUrl);
  const [token, setToken] = useState(loadLabellerToken);
  const projects = useProjects(token);

  if (name === undefined) {
    return (
      <NamePrompt
        onSubmit={(n) => {
          saveName(n);
          setName(n);
        }}
      />
    );
  }
  if (projects.kind === 'token') {
    return (
      <TokenForm
        refusal={projects.refusal}
        onToken={(t) => {
          saveLabellerToken(t);
          setToken(t);
        }}
      />
    );
  }
  if (projects.kind === 'loading') {
    return (
      <p className="centre-message" role="status">
        Loading projects…
      </p>
    );
  }
  if (projects.kind === 'error') {
    return (
      <p className="centre-message error" role="alert">
        Could not load the projects: {projects.message}
      </p>
    );
  }
  const only = projects.list.length === 1 ? projects.list[0] : undefined;
  const project = projects.list.find((p) => p.name === chosen) ?? only;
  if (!project) {
    return (
      <ProjectPicker
        projects={projects.list}
        onPick={(p) => {
          const url = new URL(window.location.href);
          url.searchParams.set('project', p);
          window.history.pushState(null, '', url);
          setChosen(p);
        }}
      />
    );
  }
  return (
    <LabellingWorkspace
      key={`${name}/${project.name}`}
      name={name}
      project={project}
      onChangeName={() => {
        forgetName();
        setName(undefined);
      }}
    />
  );
}
