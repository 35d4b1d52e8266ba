export { createDb, type Tx, type CreateDbOptions } from './knex';
export { migrateLatest, migrateDownAll } from './migrate';
export {
  startEmbeddedPostgres,
  type RunningPostgres,
  type EmbeddedPostgresOptions,
} from './embedded';
export * from './tables';
export * from './queue';
export { createProject, type NewProject } from './operations/projects/createProject';
export { getProjectByName } from './operations/projects/getProjectByName';
export { getProjectById } from './operations/projects/getProjectById';
export { listProjects } from './operations/projects/listProjects';
export { addProjectSourceRoot } from './operations/projects/addProjectSourceRoot';
export { insertSamples, type NewSample } from './operations/samples/insertSamples';
export { findExistingSourceUris } from './operations/samples/findExistingSourceUris';
export { getSampleById } from './operations/samples/getSampleById';
export { type LeasedSample } from './operations/queue/leaseNextSample';
export { renewLeases } from './operations/queue/renewLeases';
export { releaseLeases } from './operations/queue/releaseLeases';
export { expireStaleLeases } from './operations/queue/expireStaleLeases';
export { getProjectProgress, type ProjectProgress } from './operations/queue/getProjectProgress';
