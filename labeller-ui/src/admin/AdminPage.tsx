import { useCallback, useEffect, useState } from 'react';
import { ProjectListSchema } from '@al/contract';
import { fetchJson, HttpError, type Project } from '../api/http';
import { loadSettings } from './adminApi';
import { NewProjectCard } from './NewProjectCard';
import { ProjectDashboard } from './ProjectDashboard';
import { ReviewPage } from './ReviewPage';
import { TokenPrompt } from './TokenPrompt';
import { forgetToken, loadToken, saveToken } from './storedToken';

/** The views of a project; the URL names project and view, so a link opens the same page. */
type AdminView = 'dashboard' | 'review';

function locationState(): { project: string | undefined; view: AdminView } {
  const params = new URLSearchParams(window.location.search);
  return {
    project: params.get('project') ?? undefined,
    view: params.get('view') === 'review' ? 'review' : 'dashboard',
  };
}

function adminHref(project: string | undefined, view: AdminView): string {
  const params = new URLSearchParams();
  if (project !== undefined) params.set('project', project);
  if (view !== 'dashboard') params.set('view', view);
  const query = params.toString();
  return query === '' ? '/admin' : `/admin?${query}`;
}

type Access =
  | { kind: 'ask'; error?: string }
  | { kind: 'checking' }
  | { kind: 'ok'; token: string; projects: Project[] };

/**
 * Nothing of the data is shown until the token is proven: the page calls an admin-only route
 * (a project's settings) first, and a refusal leads back to the token form with the error.
 */
export function AdminPage() {
  const [access, setAccess] = useState<Access>(() =>
    loadToken() === undefined ? { kind: 'ask' } : { kind: 'checking' },
  );
  const [project, setProject] = useState(() => locationState().project);
  const [view, setView] = useState(() => locationState().view);
  const [creating, setCreating] = useState(false);

  const check = useCallback(async (token: string) => {
    setAccess({ kind: 'checking' });
    try {
      const projects = await fetchJson('/api/projects', ProjectListSchema, { token });
      const first = projects[0];
      if (first) await loadSettings(first.name, token);
      saveToken(token);
      setAccess({ kind: 'ok', token, projects });
      setProject((p) => (projects.some((x) => x.name === p) ? p : first?.name));
    } catch (err) {
      forgetToken();
      const message =
        err instanceof HttpError && err.status === 401
          ? 'That admin token is not valid.'
          : `Could not check the token: ${err instanceof Error ? err.message : String(err)}`;
      setAccess({ kind: 'ask', error: message });
    }
  }, []);

  useEffect(() => {
    const stored = loadToken();
    if (stored !== undefined) void check(stored);
  }, [check]);

  // The address follows the project and view shown; Back and Forward follow the address.
  useEffect(() => {
    const href = adminHref(project, view);
    if (`${window.location.pathname}${window.location.search}` !== href) {
      window.history.replaceState(null, '', href);
    }
  }, [project, view]);
  useEffect(() => {
    const onPop = () => {
      const at = locationState();
      setView(at.view);
      if (at.project !== undefined) setProject(at.project);
    };
    window.addEventListener('popstate', onPop);
    return () => {
      window.removeEventListener('popstate', onPop);
    };
  }, []);
  const openView = (next: AdminView) => {
    window.history.pushState(null, '', adminHref(project, next));
    setView(next);
  };

  /** Lists the projects again (one was created or archived) and shows `next`, or the first. */
  const reloadProjects = useCallback(async (token: string, next?: string) => {
    const projects = await fetchJson('/api/projects', ProjectListSchema, { token });
    setAccess({ kind: 'ok', token, projects });
    setProject(next ?? projects[0]?.name);
  }, []);

  if (access.kind === 'ask') {
    return <TokenPrompt error={access.error} onSubmit={(t) => void check(t)} />;
  }
  if (access.kind === 'checking') {
    return (
      <p className="centre-message" role="status">
        Checking the admin token…
      </p>
    );
  }
  const shownProject = access.projects.find((p) => p.name === project);
  return (
    <div className="admin">
      <AdminHeader
        projects={access.projects}
        project={project}
        view={view}
        viewHref={(v) => adminHref(project, v)}
        onView={openView}
        onProject={setProject}
        onNewProject={() => {
          setCreating(true);
        }}
        onSignOut={() => {
          forgetToken();
          setAccess({ kind: 'ask' });
        }}
      />
      {creating && (
        <NewProjectCard
          token={access.token}
          onOpen={(name) => {
            setCreating(false);
            void reloadProjects(access.token, name);
          }}
          onClose={() => {
            setCreating(false);
          }}
        />
      )}
      {access.projects.length === 0 && !creating && (
        <p>No projects yet: create one with New project, or import with the CLI.</p>
      )}
      {shownProject !== undefined && view === 'review' && (
        <ReviewPage key={shownProject.name} project={shownProject} token={access.token} />
      )}
      {project !== undefined && view === 'dashboard' && (
        <ProjectDashboard
          key={project}
          project={project}
          token={access.token}
          onArchived={() => void reloadProjects(access.token)}
        />
      )}
    </div>
  );
}

function AdminHeader(props: {
  projects: Project[];
  project: string | undefined;
  view: AdminView;
  viewHref: (view: AdminView) => string;
  onView: (view: AdminView) => void;
  onProject: (project: string) => void;
  onNewProject: () => void;
  onSignOut: () => void;
}) {
  const adminer = `${window.location.protocol}//${window.location.hostname}:8080`;
  return (
    <header className="admin-header">
      <h1>Admin</h1>
      <nav aria-label="Admin">
        {props.projects.length > 1 && (
          <label>
            Project{' '}
            <select
              value={props.project}
              onChange={(e) => {
                props.onProject(e.target.value);
              }}
            >
              {props.projects.map((p) => (
                <option key={p.name}>{p.name}</option>
              ))}
            </select>
          </label>
        )}
        {props.project !== undefined &&
          (['dashboard', 'review'] as const).map((v) => (
            <a
              key={v}
              href={props.viewHref(v)}
              aria-current={props.view === v ? 'page' : undefined}
              onClick={(e) => {
                // A plain click stays in the page; a middle or modified click opens the link.
                if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
                e.preventDefault();
                props.onView(v);
              }}
            >
              {v === 'dashboard' ? 'Dashboard' : 'Review'}
            </a>
          ))}
        <button type="button" onClick={props.onNewProject}>
          New project
        </button>
        <a href="/">Labelling page</a>
        <a href={adminer} target="_blank" rel="noreferrer">
          Adminer (database)
        </a>
        <button type="button" onClick={props.onSignOut}>
          Sign out
        </button>
      </nav>
    </header>
  );
}
