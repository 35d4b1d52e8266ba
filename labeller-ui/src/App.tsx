import { lazy, Suspense } from 'react';
import { LabellingPage } from './labelling/LabellingPage';

// Labellers never load the admin code (charts, settings form).
const AdminPage = lazy(() => import('./admin/AdminPage').then((m) => ({ default: m.AdminPage })));

/** Two pages, chosen by pathname; the server answers index.html for both. */
export function App() {
  if (window.location.pathname.replace(/\/+$/, '') === '/admin') {
    return (
      <Suspense fallback={<p className="centre-message">Loading…</p>}>
        <AdminPage />
      </Suspense>
    );
  }
  return <LabellingPage />;
}
