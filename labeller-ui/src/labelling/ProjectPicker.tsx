import type { Project } from '../api/http';

export function ProjectPicker({
  projects,
  onPick,
}: {
  projects: Project[];
  onPick: (name: string) => void;
}) {
  if (projects.length === 0) {
    return (
      <main className="card narrow">
        <h1>No projects yet</h1>
        <p>Ask an admin to import images (npm run import).</p>
      </main>
    );
  }
  return (
    <main className="card narrow">
      <h1>Choose a project</h1>
      <ul className="project-list">
        {projects.map((p) => (
          <li key={p.name}>
            <button
              type="button"
              onClick={() => {
                onPick(p.name);
              }}
            >
              <strong>{p.name}</strong>
              <span className="muted">
                {p.options.length} options{p.multiLabel ? ', multi-label' : ''}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </main>
  );
}
