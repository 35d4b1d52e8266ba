import { loadModels, loadStats } from './adminApi';
import { AgreementCard } from './AgreementCard';
import { ExportCard } from './ExportCard';
import { GoldCard } from './GoldCard';
import { ModelsCard } from './ModelsCard';
import { QueueCard } from './QueueCard';
import { RetrainCard } from './RetrainCard';
import { SettingsCard } from './SettingsCard';
import { SourcesCard } from './SourcesCard';
import { usePolling, valueOf } from './usePolling';

/** Stats refresh every 5 s, models every 10 s and at once when a retrain job finishes. */
export function ProjectDashboard({
  project,
  token,
  onArchived,
}: {
  project: string;
  token: string;
  onArchived: () => void;
}) {
  const [stats, refreshStats] = usePolling(() => loadStats(project, token), 5_000, project);
  const [models, refreshModels] = usePolling(() => loadModels(project, token), 10_000, project);
  return (
    <>
      <QueueCard stats={stats} project={project} token={token} onChanged={refreshStats} />
      <div className="admin-grid">
        <RetrainCard
          project={project}
          token={token}
          models={valueOf(models) ?? []}
          onJobFinished={refreshModels}
        />
        <ExportCard project={project} token={token} />
        <SourcesCard
          project={project}
          token={token}
          onImported={refreshStats}
          onArchived={onArchived}
        />
      </div>
      <ModelsCard models={models} />
      <AgreementCard project={project} token={token} />
      <GoldCard project={project} token={token} />
      <SettingsCard project={project} token={token} />
    </>
  );
}
