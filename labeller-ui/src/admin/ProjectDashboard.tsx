import { useState } from 'react';
import { loadModels, loadStats } from './adminApi';
import { ExportCard } from './ExportCard';
import { ModelsCard } from './ModelsCard';
import { QueueCard } from './QueueCard';
import { RetrainCard } from './RetrainCard';
import { SettingsCard } from './SettingsCard';
import { usePolling, valueOf } from './usePolling';

/** Stats refresh every 5 s; models every 1.5 s while a retrain is awaited, else every 10 s. */
export function ProjectDashboard({ project, token }: { project: string; token: string }) {
  const [awaiting, setAwaiting] = useState<{ jobId: number; afterVersion: number } | undefined>();
  const [stats] = usePolling(() => loadStats(project, token), 5_000, project);
  const [models, refreshModels] = usePolling(
    () => loadModels(project, token),
    awaiting ? 1_500 : 10_000,
    project,
  );
  const modelList = valueOf(models);
  const latestVersion = modelList?.[0]?.version ?? 0;
  const finished = awaiting !== undefined && latestVersion > awaiting.afterVersion;

  return (
    <>
      <QueueCard stats={stats} />
      <div className="admin-grid">
        <RetrainCard
          awaiting={awaiting}
          finishedModel={finished ? modelList?.[0] : undefined}
          disabled={models.kind === 'loading'}
          project={project}
          token={token}
          onRequested={(jobId) => {
            setAwaiting({ jobId, afterVersion: latestVersion });
            refreshModels();
          }}
        />
        <ExportCard project={project} token={token} />
      </div>
      <ModelsCard models={models} />
      <SettingsCard project={project} token={token} />
    </>
  );
}
