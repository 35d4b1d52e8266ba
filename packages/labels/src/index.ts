export { AnswerSet, type AnswerInput } from './answerSet';
export {
  argMax,
  DAWID_SKENE_DEFAULTS,
  fitDawidSkene,
  itemPosterior,
  majorityPosteriors,
  type DawidSkeneModel,
  type DawidSkeneOptions,
  type GroupedAnswers,
} from './dawidSkene';
export { multiLabelVote } from './multiLabelVote';
