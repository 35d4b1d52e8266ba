export {
  createDb,
  isDatabaseUnavailable,
  type Tx,
  type CreateDbOptions,
  type KnexLog,
} from './knex';
export { migrateLatest, migrateDownAll } from './migrate';
export { withAdvisoryLock, ADVISORY_LOCKS } from './advisoryLock';
export { ChannelListener, type ChannelListenerOptions } from './channelListener';
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
export { setProjectArchived } from './operations/projects/setProjectArchived';
export { insertLabellerExclusion } from './operations/labellers/insertLabellerExclusion';
export { listExcludedLabellers } from './operations/labellers/listExcludedLabellers';
export { addProjectSourceRoot } from './operations/projects/addProjectSourceRoot';
export { updateProjectAcquisition } from './operations/projects/updateProjectAcquisition';
export { updateProjectImageSettings } from './operations/projects/updateProjectImageSettings';
export { insertSamples, type NewSample } from './operations/samples/insertSamples';
export { findExistingSourceUris } from './operations/samples/findExistingSourceUris';
export { getSampleById } from './operations/samples/getSampleById';
export { updateSampleContents } from './operations/samples/updateSampleContents';
export { type LeasedSample } from './operations/queue/leaseNextSamples';
export { renewLeases } from './operations/queue/renewLeases';
export { releaseLeases } from './operations/queue/releaseLeases';
export { getProjectProgress, type ProjectProgress } from './operations/queue/getProjectProgress';
export {
  notifyModelCreated,
  MODEL_CREATED_CHANNEL,
  type ModelCreatedPayload,
} from './operations/models/notifyModelCreated';
export { listProjectModels, type ModelSummaryRow } from './operations/models/listProjectModels';
export { getModelByVersion } from './operations/models/getModelByVersion';
export { listModelArtifacts, type ModelArtifactsRow } from './operations/models/listModelArtifacts';
export {
  listModelsToReevaluate,
  type ModelToReevaluateRow,
} from './operations/models/listModelsToReevaluate';
export { patchModelMetrics } from './operations/models/patchModelMetrics';
export { requestRetrain, RETRAIN_REQUESTED_CHANNEL } from './operations/models/requestRetrain';
export { wakeOrchestrators } from './operations/models/wakeOrchestrators';
export { getRetrainJob, type RetrainJobStatusRow } from './operations/models/getRetrainJob';
export { pingDatabase } from './operations/stats/pingDatabase';
export {
  countLabelsByLabeller,
  type LabellerCounts,
} from './operations/stats/countLabelsByLabeller';
export { countLabellerLabels } from './operations/stats/countLabellerLabels';
export { countLabelsPerHour, type HourlyLabelCount } from './operations/stats/countLabelsPerHour';
export { listLabelsPage, type ExportedLabelRow } from './operations/stats/listLabelsPage';
export {
  listEffectiveAnswersPage,
  type EffectiveAnswerRow,
} from './operations/finalLabels/listEffectiveAnswersPage';
export { listSamplePredictionsPage } from './operations/finalLabels/listSamplePredictionsPage';
export { listKnownAnswers, type KnownAnswerRow } from './operations/finalLabels/listKnownAnswers';
export { listSampleUrisPage, type SampleUriRow } from './operations/finalLabels/listSampleUrisPage';
export { ensureSocketIoAttachmentsTable } from './operations/stats/ensureSocketIoAttachmentsTable';
export {
  listSamplesMissingFeatures,
  type SampleToDecode,
} from './operations/orchestrator/listSamplesMissingFeatures';
export { listQueueHeadMissingFeatures } from './operations/orchestrator/listQueueHeadMissingFeatures';
export { insertFeatures, type NewFeatures } from './operations/orchestrator/insertFeatures';
export {
  listOpenSampleFeatures,
  type SampleFeatures,
} from './operations/orchestrator/listOpenSampleFeatures';
export {
  listEffectiveLabels,
  type EffectiveLabel,
} from './operations/orchestrator/listEffectiveLabels';
export { getFeaturesByHashes } from './operations/orchestrator/getFeaturesByHashes';
export { listTakenSampleFeatures } from './operations/orchestrator/listTakenSampleFeatures';
export {
  listSampleFeaturesForExport,
  type SampleFeaturesForExport,
} from './operations/orchestrator/listSampleFeaturesForExport';
export { insertModelVersion } from './operations/orchestrator/insertModelVersion';
export { getLatestModel } from './operations/orchestrator/getLatestModel';
export { getLatestHandoutId } from './operations/orchestrator/getLatestHandoutId';
export {
  writeSamplePriorities,
  type ScoredSample,
} from './operations/orchestrator/writeSamplePriorities';
export { setLocalLockTimeout } from './operations/orchestrator/setLocalLockTimeout';
export { claimRetrainJob } from './operations/orchestrator/claimRetrainJob';
export { heartbeatRetrainJob } from './operations/orchestrator/heartbeatRetrainJob';
export { finishRetrainJob } from './operations/orchestrator/finishRetrainJob';
export {
  listRetrainTriggerStates,
  type RetrainTriggerState,
} from './operations/orchestrator/listRetrainTriggerStates';
export { enqueueRetrainIfIdle } from './operations/orchestrator/enqueueRetrainIfIdle';
export { hasCompletedRetrain } from './operations/orchestrator/hasCompletedRetrain';
export { hasModel } from './operations/orchestrator/hasModel';
export { countOpenSamples } from './operations/orchestrator/countOpenSamples';
export { listFirstSamples, type SampleShape } from './operations/orchestrator/listFirstSamples';
export { setProjectInputSpecIfUnset } from './operations/orchestrator/setProjectInputSpecIfUnset';
export {
  recoverStaleRetrainJobs,
  type RecoveredRetrainJobs,
} from './operations/orchestrator/recoverStaleRetrainJobs';
export { QueueBatcher, type QueueBatcherOptions } from './queueBatcher';
export { insertGoldLabels } from './operations/gold/insertGoldLabels';
export { syncGoldSampleStatus } from './operations/gold/syncGoldSampleStatus';
export { listGoldItems, type GoldItemRow } from './operations/gold/listGoldItems';
export { findSamplesByUris } from './operations/gold/findSamplesByUris';
export { updateProjectGoldShare } from './operations/gold/updateProjectGoldShare';
export { filterProjectSampleIds } from './operations/gold/filterProjectSampleIds';
export { insertLabelReview } from './operations/reviews/insertLabelReview';
export { listLabelReviews } from './operations/reviews/listLabelReviews';
export {
  listAnswersOfSamples,
  type SampleAnswerRow,
} from './operations/finalLabels/listAnswersOfSamples';
