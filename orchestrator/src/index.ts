// What the cross-part tests use of the orchestrator; the product runs it through its CLI.
export { chooseBackend, type ChosenBackend } from './backend/chooseBackend';
export { JobLoop } from './jobs/jobLoop';
// bench:al checks each stored model version's reported accuracy on a large test set from
// outside. The check is only honest if it loads the very weights the orchestrator stored, feeds
// them pixels decoded exactly as pool images are, and scores them with the reported metric, so
// it uses the orchestrator's own loader, decoder and metric rather than copies of them.
export { loadStoredPredictor, type StoredPredictor } from './model/storedPredictor';
export { evaluatePredictions } from './model/metrics';
export { decodeFeatures } from './features/decodeFeatures';
export { inputSpecKey, type InputSpec } from './features/inputSpec';
export { parseInputSpec } from './features/projectInputSpec';
// bench:al's backbone judge sees images through the product's own embedder on the same model.
export { loadEmbedder } from './embedding/embedderRegistry';
export type { EmbedderSettings } from './embedding/poolEmbedder';
