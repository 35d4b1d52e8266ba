/** The uncertainty scores a project may choose; the orchestrator registers one scorer per name. */
export const ACQUISITION_FUNCTION_NAMES = [
  'entropy',
  'margin',
  'least_confidence',
  'random',
] as const;
export type AcquisitionFunctionName = (typeof ACQUISITION_FUNCTION_NAMES)[number];
