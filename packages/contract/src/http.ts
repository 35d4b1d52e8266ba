/**
 * The HTTP API's answers, as the server sends them and the UI (or any outside client) reads
 * them. Times are ISO 8601 strings. zod/mini, so the UI parses with these very schemas.
 */
import * as z from 'zod/mini';
import { ACQUISITION_FUNCTION_NAMES } from './acquisitionFunctions';
import { acquisitionSettingsSchema } from './acquisitionSettings';
import { ModelMetricsSchema } from './modelMetrics';

export const HTTP_ERROR_CODES = [
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'RATE_LIMITED',
  'CONFLICT',
  /** 503, retryable: the database is unreachable for a moment; send the same request again. */
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type HttpErrorCode = (typeof HTTP_ERROR_CODES)[number];

/** Every 4xx/5xx answer. */
export const HttpErrorBodySchema = z.object({
  error: z.object({ code: z.enum(HTTP_ERROR_CODES), message: z.string() }),
});
export type HttpErrorBody = z.infer<typeof HttpErrorBodySchema>;

/** `GET /healthz` (503 with an error body when the database is unreachable). */
export const HealthSchema = z.object({ status: z.literal('ok') });
export type Health = z.infer<typeof HealthSchema>;

/** `GET /api/projects` */
export const ProjectSummarySchema = z.object({
  name: z.string(),
  options: z.array(z.string()),
  multiLabel: z.boolean(),
  labelsPerSample: z.int(),
  createdAt: z.string(),
});
export type ProjectSummary = z.infer<typeof ProjectSummarySchema>;
export const ProjectListSchema = z.array(ProjectSummarySchema);
export type ProjectList = z.infer<typeof ProjectListSchema>;

/** `GET /api/projects/:project/stats` */
export const ProjectStatsSchema = z.object({
  project: z.string(),
  total: z.int(),
  /** Samples with all wanted labels. */
  labelled: z.int(),
  labels: z.int(),
  wanted: z.int(),
  inLease: z.int(),
  labellers: z.array(
    z.object({
      name: z.string(),
      labels: z.int(),
      conflicts: z.int(),
      skips: z.int(),
      /** Median ms from hand-out to label; null when none was timed. */
      medianMs: z.nullable(z.number()),
      /** An admin left their answers out of training and final labels (they are kept). */
      excluded: z.boolean(),
      /** Their labels on images with a gold answer, and how many match it. */
      goldAnswered: z.int(),
      goldCorrect: z.int(),
      lastAt: z.string(),
    }),
  ),
  /** Label rows per hour over the last day, hours without labels left out. */
  labelsPerHour: z.array(z.object({ hour: z.string(), labels: z.int() })),
});
export type ProjectStats = z.infer<typeof ProjectStatsSchema>;

/** `GET /api/projects/:project/models`: newest first. */
export const ModelSummarySchema = z.object({
  version: z.int(),
  createdAt: z.string(),
  /** Labels the model was trained on. */
  trainedOn: z.int(),
  backend: z.string(),
  metrics: ModelMetricsSchema,
});
export type ModelSummary = z.infer<typeof ModelSummarySchema>;
export const ModelListSchema = z.array(ModelSummarySchema);
export type ModelList = z.infer<typeof ModelListSchema>;

/** `POST /api/projects/:project/retrain` answers 202 with this. */
export const RetrainAcceptedSchema = z.object({ jobId: z.int() });
export type RetrainAccepted = z.infer<typeof RetrainAcceptedSchema>;

export const RETRAIN_JOB_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export const RETRAIN_REASONS = ['labels', 'timer', 'admin', 'recovered'] as const;

/** `GET /api/projects/:project/retrain/:jobId` (admin). */
export const RetrainJobSchema = z.object({
  jobId: z.int(),
  status: z.enum(RETRAIN_JOB_STATUSES),
  reason: z.enum(RETRAIN_REASONS),
  error: z.nullable(z.string()),
  createdAt: z.string(),
  startedAt: z.nullable(z.string()),
  finishedAt: z.nullable(z.string()),
  /** The version of the model the job produced; null until it is done. */
  modelVersion: z.nullable(z.int()),
});
export type RetrainJob = z.infer<typeof RetrainJobSchema>;

/** `GET|PUT /api/projects/:project/settings` (admin); PUT takes the settings themselves. */
export const AcquisitionSettingsAnswerSchema = z.object({
  settings: acquisitionSettingsSchema,
  /** Why the stored settings were unusable (the defaults are shown instead); else null. */
  problem: z.nullable(z.string()),
  choices: z.object({ function: z.array(z.enum(ACQUISITION_FUNCTION_NAMES)) }),
});
export type AcquisitionSettingsAnswer = z.infer<typeof AcquisitionSettingsAnswerSchema>;

/** proxy: the server reads, resizes and caches; presign: the image route redirects to S3. */
export const IMAGE_DELIVERIES = ['proxy', 'presign'] as const;

/** `GET|PUT /api/projects/:project/settings/images` (admin). */
export const ImageSettingsAnswerSchema = z.object({
  images: z.object({
    delivery: z.enum(IMAGE_DELIVERIES),
    thumbnailSuffix: z.nullable(z.string()),
    /** Page of multi-page images shown and learnt from: an index (0 = first) or 'max'. */
    page: z.union([z.int().check(z.gte(0)), z.literal('max')]),
  }),
});
export type ImageSettingsAnswer = z.infer<typeof ImageSettingsAnswerSchema>;

export const LABEL_EXPORT_FORMATS = ['csv', 'jsonl'] as const;
export type LabelExportFormat = (typeof LABEL_EXPORT_FORMATS)[number];
/** raw: the append-only answer log (the default); final: one row per image. */
export const LABEL_EXPORT_VIEWS = ['raw', 'final'] as const;
export type LabelExportView = (typeof LABEL_EXPORT_VIEWS)[number];

const LabelValueSchema = z.union([z.string(), z.array(z.string())]);

/** `GET /api/projects/:project/labels?format=jsonl`: one line per row of the answer log. */
export const LabelLogRowSchema = z.object({
  id: z.int(),
  sampleId: z.int(),
  sourceUri: z.string(),
  labeller: z.string(),
  kind: z.enum(['label', 'skip', 'undo']),
  value: z.nullable(LabelValueSchema),
  /** For an undo: the row it reverts. */
  undoesId: z.nullable(z.int()),
  conflict: z.boolean(),
  timeSpentMs: z.nullable(z.int()),
  createdAt: z.string(),
});
export type LabelLogRow = z.infer<typeof LabelLogRowSchema>;

/**
 * `...&view=final`: one line per image, in sample id order. Single-label: Dawid–Skene's class
 * and its posterior; multi-label: per-option majority and mean agreement.
 */
export const FinalLabelRowSchema = z.object({
  sampleId: z.int(),
  uri: z.string(),
  /** A string, an array for multi-label projects, or null when there is no answer yet. */
  label: z.nullable(LabelValueSchema),
  confidence: z.nullable(z.number()),
  /** Answers in force for the image. */
  answers: z.int(),
});
export type FinalLabelRow = z.infer<typeof FinalLabelRowSchema>;

/** `POST /api/projects` (admin): a project made from a folder or an S3 prefix, then imported. */
export const CreateProjectRequestSchema = z.object({
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
  labels: z.array(z.string().check(z.trim(), z.minLength(1))).check(z.minLength(1)),
  multiLabel: z.optional(z.boolean()),
  labelsPerSample: z.optional(z.int().check(z.gte(1), z.lte(100))),
  /** An absolute folder path on the server's machine, or s3://bucket/prefix. */
  source: z.string().check(z.trim(), z.minLength(1)),
});
export type CreateProjectRequest = z.infer<typeof CreateProjectRequestSchema>;

/** 202 answer of `POST /api/projects` and `POST /api/projects/:project/rescan`. */
export const ImportAcceptedSchema = z.object({ importId: z.int() });
export type ImportAccepted = z.infer<typeof ImportAcceptedSchema>;

export const IMPORT_STATUSES = ['running', 'done', 'failed'] as const;

/** `GET /api/imports/:id` (admin): an import started from the admin page, live. */
export const ImportJobSchema = z.object({
  id: z.int(),
  project: z.string(),
  sources: z.array(z.string()),
  status: z.enum(IMPORT_STATUSES),
  /** Image files listed so far (grows while the listing streams), and what became of them. */
  total: z.int(),
  processed: z.int(),
  imported: z.int(),
  alreadyImported: z.int(),
  failed: z.int(),
  /** Unreadable files (first ones), with the reason. */
  failures: z.array(z.object({ path: z.string(), reason: z.string() })),
  error: z.nullable(z.string()),
  startedAt: z.string(),
  finishedAt: z.nullable(z.string()),
});
export type ImportJob = z.infer<typeof ImportJobSchema>;

/** `POST /api/projects/:project/archive` (admin) takes and answers this. */
export const ArchiveStateSchema = z.object({ archived: z.boolean() });
export type ArchiveState = z.infer<typeof ArchiveStateSchema>;

/** `GET /api/projects/:project/agreement` (admin): how labellers agree where several answered. */
export const AgreementReportSchema = z.object({
  /** Images with at least two answers in force. */
  items: z.int(),
  /** Fleiss' kappa over those images; null when there is none. */
  fleissKappa: z.nullable(z.number()),
  perClass: z.array(
    z.object({
      label: z.string(),
      answers: z.int(),
      /** Of second answers on images where someone chose this label, the share that chose it too. */
      specificAgreement: z.nullable(z.number()),
    }),
  ),
  labellers: z.array(
    z.object({
      name: z.string(),
      answers: z.int(),
      sharedItems: z.int(),
      /** Share of the other answers on their shared images equal to theirs. */
      agreement: z.nullable(z.number()),
      /** Their pairwise Cohen's kappas weighted by shared images. */
      kappa: z.nullable(z.number()),
    }),
  ),
  pairs: z.array(
    z.object({
      a: z.string(),
      b: z.string(),
      shared: z.int(),
      agreement: z.number(),
      kappa: z.nullable(z.number()),
    }),
  ),
});
export type AgreementReport = z.infer<typeof AgreementReportSchema>;

/** `POST /api/projects/:project/labellers/:labeller/exclusion` (admin) takes and answers this. */
export const ExclusionStateSchema = z.object({ excluded: z.boolean() });
export type ExclusionState = z.infer<typeof ExclusionStateSchema>;

/**
 * `GET /api/projects/:project/review?limit=N` (admin): images most likely to carry a wrong final
 * label, most likely first; images a reviewer or a gold answer already decided are left out.
 */
export const ReviewCandidateSchema = z.object({
  sampleId: z.int(),
  imageUrl: z.string(),
  label: LabelValueSchema,
  /** The final label's confidence (see view=final). */
  confidence: z.nullable(z.number()),
  answers: z.int(),
  /** The answers in force, oldest first: who said what. */
  votes: z.array(z.object({ labeller: z.string(), label: LabelValueSchema })),
  /** The current model's prediction for the image, when it has scored it. */
  model: z.nullable(z.object({ label: LabelValueSchema, confidence: z.number() })),
  /** Estimated probability that the final label is wrong, 0..1. */
  score: z.number(),
});
export const ReviewListSchema = z.array(ReviewCandidateSchema);
export type ReviewCandidate = z.infer<typeof ReviewCandidateSchema>;
