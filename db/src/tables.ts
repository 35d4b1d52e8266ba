/** Row types, one per table, exactly as Postgres returns them (bigint parsed to number). */

export type LabelValue = string | string[];

export interface DbProjectRow {
  id: number;
  name: string;
  options: string[];
  multi_label: boolean;
  labels_per_sample: number;
  acquisition: Record<string, unknown>;
  source_roots: string[];
  /** Model input size (parsed by the orchestrator); null until the first retrain derives it. */
  input_spec: Record<string, unknown> | null;
  image_delivery: ImageDelivery;
  thumbnail_suffix: string | null;
  /** Page of multi-page images shown and learnt from: an index or 'max' (parsed by @al/media). */
  image_page: string;
  /** When an admin archived it; null: active. */
  archived_at: Date | null;
  /** Share of each labeller's hand-outs that are gold images, 0..0.5. */
  gold_share: number;
  created_at: Date;
}

/** proxy: the server reads, resizes and caches; presign: the image route redirects to S3. */
export type ImageDelivery = 'proxy' | 'presign';

export type SampleStatus = 'open' | 'done';
export type SampleSplit = 'train' | 'eval';

export interface DbSampleRow {
  id: number;
  project_id: number;
  source_uri: string;
  content_hash: string;
  width: number;
  height: number;
  byte_size: number;
  priority: number;
  status: SampleStatus;
  label_count: number;
  lease_owner: string | null;
  lease_expires_at: Date | null;
  split: SampleSplit;
  predicted_label: LabelValue | null;
  predicted_confidence: number | null;
  scored_model_version: number | null;
  created_at: Date;
}

export interface DbHandoutRow {
  id: number;
  project_id: number;
  sample_id: number;
  labeller: string;
  model_version: number | null;
  handed_at: Date;
  replaced_owner: string | null;
  replaced_expires_at: Date | null;
  /** A gold image mixed into the labeller's stream. */
  gold: boolean;
}

export type LabelKind = 'label' | 'skip' | 'undo';

export interface DbLabelRow {
  id: number;
  project_id: number;
  sample_id: number;
  labeller: string;
  kind: LabelKind;
  value: LabelValue | null;
  undoes_id: number | null;
  conflict: boolean;
  time_spent_ms: number | null;
  model_version: number | null;
  client_key: string | null;
  handout_id: number | null;
  created_at: Date;
}

/** A reviewer's decision on an image's final label (append-only; the newest row is in force). */
export interface DbLabelReviewRow {
  id: number;
  project_id: number;
  sample_id: number;
  reviewer: string;
  value: LabelValue;
  created_at: Date;
}

export interface DbModelRow {
  id: number;
  project_id: number;
  version: number;
  trained_on: number;
  metrics: Record<string, unknown>;
  backend: string;
  artifacts: unknown;
  created_at: Date;
}

export type RetrainJobStatus = 'queued' | 'running' | 'done' | 'failed';
export type RetrainReason = 'labels' | 'timer' | 'admin' | 'recovered';

export interface DbRetrainJobRow {
  id: number;
  project_id: number;
  reason: RetrainReason;
  requested_by: string | null;
  status: RetrainJobStatus;
  locked_by: string | null;
  heartbeat_at: Date | null;
  model_id: number | null;
  error: string | null;
  /** Earlier runs of this work whose orchestrator died (see recoverStaleRetrainJobs). */
  recoveries: number;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface DbFeatureCacheRow {
  content_hash: string;
  spec: string;
  data: Buffer;
  created_at: Date;
}
