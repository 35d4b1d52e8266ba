// What the cross-part tests use of the orchestrator; the product runs it through its CLI.
export { chooseBackend, type ChosenBackend } from './backend/chooseBackend';
export { JobLoop } from './jobs/jobLoop';
