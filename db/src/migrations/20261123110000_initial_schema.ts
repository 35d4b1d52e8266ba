import type { Knex } from 'knex';

/**
 * The whole first schema. Lease state lives on `samples` in columns that no index covers, so a
 * lease or renewal is a HOT update: the hand-out index (project, priority) never gets a new
 * entry per lease and its head does not fill with dead tuples under constant churn. `status`
 * changes only when a sample gets (or loses, by undo) its last wanted label.
 */
// Longer than 80 lines: the first schema as released. Migrations are append-only and never
// edited after release; later changes are new migrations.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE projects (
      id serial PRIMARY KEY,
      name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
      options jsonb NOT NULL CHECK (jsonb_typeof(options) = 'array' AND jsonb_array_length(options) > 0),
      multi_label boolean NOT NULL DEFAULT false,
      labels_per_sample integer NOT NULL DEFAULT 1 CHECK (labels_per_sample >= 1),
      acquisition jsonb NOT NULL DEFAULT '{}'::jsonb,
      source_roots text[] NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now()
    );
    COMMENT ON TABLE projects IS 'A labelling project: a pool of images and the options labellers choose from.';
    COMMENT ON COLUMN projects.options IS 'JSON array of label options (strings), in button order.';
    COMMENT ON COLUMN projects.multi_label IS 'True when a labeller may pick several options for one image.';
    COMMENT ON COLUMN projects.labels_per_sample IS 'Overlap: how many distinct labellers should label each sample.';
    COMMENT ON COLUMN projects.acquisition IS 'Acquisition settings (function, diversity, min_distance, shuffle_prop, retrain triggers).';
    COMMENT ON COLUMN projects.source_roots IS 'Folders or s3:// prefixes images were imported from; images are only served from under these.';

    CREATE TABLE samples (
      id bigserial PRIMARY KEY,
      project_id integer NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
      source_uri text NOT NULL,
      content_hash text NOT NULL,
      width integer NOT NULL,
      height integer NOT NULL,
      byte_size bigint NOT NULL,
      priority double precision NOT NULL DEFAULT 0,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
      label_count integer NOT NULL DEFAULT 0 CHECK (label_count >= 0),
      lease_owner text,
      lease_expires_at timestamptz,
      split text NOT NULL DEFAULT 'train' CHECK (split IN ('train', 'eval')),
      predicted_label jsonb,
      predicted_confidence real,
      scored_model_version integer,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (project_id, source_uri)
    ) WITH (
      fillfactor = 80,
      autovacuum_vacuum_scale_factor = 0.01,
      autovacuum_vacuum_threshold = 500,
      autovacuum_vacuum_cost_delay = 0
    );
    COMMENT ON TABLE samples IS 'One image of a project and its place in the labelling queue. Fillfactor 80 leaves room for HOT lease updates.';
    COMMENT ON COLUMN samples.source_uri IS 'Absolute file path or s3://bucket/key of the original image.';
    COMMENT ON COLUMN samples.content_hash IS 'sha256 (hex) of the file bytes; keys the feature cache.';
    COMMENT ON COLUMN samples.byte_size IS 'Size of the original file in bytes.';
    COMMENT ON COLUMN samples.priority IS 'Higher is handed out first; written by the orchestrator.';
    COMMENT ON COLUMN samples.status IS 'open: still wants labels; done: has labels_per_sample effective labels.';
    COMMENT ON COLUMN samples.label_count IS 'Effective (not undone, not conflicting) labels so far.';
    COMMENT ON COLUMN samples.lease_owner IS 'Labeller currently holding the sample; only meaningful while lease_expires_at is in the future.';
    COMMENT ON COLUMN samples.lease_expires_at IS 'Database-clock time the current lease lapses; a lapsed lease is free to take.';
    COMMENT ON COLUMN samples.split IS 'train: may be trained on; eval: held out for measuring the model, never trained on.';
    COMMENT ON COLUMN samples.predicted_label IS 'Latest model prediction (string or array), offered as a suggestion.';
    COMMENT ON COLUMN samples.predicted_confidence IS 'Confidence of predicted_label under the model that scored it.';
    COMMENT ON COLUMN samples.scored_model_version IS 'Model version whose scores set priority and prediction.';
    -- The hand-out reads this index from its head. Only open samples are in it.
    CREATE INDEX samples_handout_idx ON samples (project_id, priority DESC, id) WHERE status = 'open';
    CREATE INDEX samples_content_hash_idx ON samples (content_hash);

    CREATE TABLE handouts (
      id bigserial PRIMARY KEY,
      project_id integer NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
      sample_id bigint NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
      labeller text NOT NULL,
      model_version integer,
      handed_at timestamptz NOT NULL DEFAULT now()
    );
    COMMENT ON TABLE handouts IS 'Append-only log of every lease given out: proves a labeller was handed a sample and times the work.';
    COMMENT ON COLUMN handouts.model_version IS 'Latest model version of the project when the sample was handed out.';
    CREATE INDEX handouts_sample_labeller_idx ON handouts (sample_id, labeller, handed_at DESC);

    CREATE TABLE labels (
      id bigserial PRIMARY KEY,
      project_id integer NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
      sample_id bigint NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
      labeller text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('label', 'skip', 'undo')),
      value jsonb,
      undoes_id bigint UNIQUE REFERENCES labels(id),
      conflict boolean NOT NULL DEFAULT false,
      time_spent_ms integer,
      model_version integer,
      client_key text,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((kind = 'label') = (value IS NOT NULL)),
      CHECK ((kind = 'undo') = (undoes_id IS NOT NULL))
    );
    COMMENT ON TABLE labels IS 'Append-only history of labels, skips and undos. Never updated: an undo is a new row pointing at the row it reverts.';
    COMMENT ON COLUMN labels.value IS 'The chosen option (JSON string) or options (JSON array) for kind = label.';
    COMMENT ON COLUMN labels.undoes_id IS 'For kind = undo: the label or skip row this undo reverts.';
    COMMENT ON COLUMN labels.conflict IS 'True when the labeller''s lease was lost and the sample already had all wanted labels: kept, but not counted.';
    COMMENT ON COLUMN labels.time_spent_ms IS 'Milliseconds from the latest hand-out of the sample to this labeller until this row.';
    COMMENT ON COLUMN labels.model_version IS 'Model version at hand-out time.';
    COMMENT ON COLUMN labels.client_key IS 'Idempotency key from the client: a resend with the same key returns the first result.';
    CREATE INDEX labels_sample_labeller_idx ON labels (sample_id, labeller);
    CREATE INDEX labels_labeller_recent_idx ON labels (project_id, labeller, id DESC);
    CREATE INDEX labels_project_created_idx ON labels (project_id, created_at);
    CREATE UNIQUE INDEX labels_client_key_idx ON labels (labeller, client_key) WHERE client_key IS NOT NULL;

    CREATE TABLE models (
      id serial PRIMARY KEY,
      project_id integer NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
      version integer NOT NULL,
      trained_on integer NOT NULL,
      metrics jsonb NOT NULL DEFAULT '{}'::jsonb,
      backend text NOT NULL,
      artifacts jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (project_id, version)
    );
    COMMENT ON TABLE models IS 'Every trained model version of a project.';
    COMMENT ON COLUMN models.trained_on IS 'Number of labelled samples the model was trained on.';
    COMMENT ON COLUMN models.metrics IS 'accuracy, per-class F1, confusion matrix and durations on the held-out share.';
    COMMENT ON COLUMN models.backend IS 'TensorFlow.js backend that trained the model.';
    COMMENT ON COLUMN models.artifacts IS 'Topology and base64 weights, enough to load the model again.';

    CREATE TABLE retrain_jobs (
      id bigserial PRIMARY KEY,
      project_id integer NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
      reason text NOT NULL CHECK (reason IN ('labels', 'timer', 'admin', 'recovered')),
      requested_by text,
      status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
      locked_by text,
      heartbeat_at timestamptz,
      model_id integer REFERENCES models(id) ON DELETE SET NULL,
      error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      started_at timestamptz,
      finished_at timestamptz
    );
    COMMENT ON TABLE retrain_jobs IS 'Requests to retrain a project; claimed by an orchestrator with FOR UPDATE SKIP LOCKED.';
    COMMENT ON COLUMN retrain_jobs.locked_by IS 'Orchestrator instance running the job.';
    COMMENT ON COLUMN retrain_jobs.heartbeat_at IS 'Last sign of life of the running orchestrator; a stale one marks the job as abandoned.';
    CREATE INDEX retrain_jobs_status_idx ON retrain_jobs (status, created_at);

    CREATE TABLE feature_cache (
      content_hash text NOT NULL,
      spec text NOT NULL,
      data bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (content_hash, spec)
    );
    COMMENT ON TABLE feature_cache IS 'Decoded, resized, normalised image tensors per content hash and input spec, so a retrain never decodes an image twice.';
    COMMENT ON COLUMN feature_cache.spec IS 'Input spec the data was made for, e.g. 28x28x1.';
    COMMENT ON COLUMN feature_cache.data IS 'Raw little-endian Uint8 pixels in HWC order.';
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TABLE feature_cache;
    DROP TABLE retrain_jobs;
    DROP TABLE models;
    DROP TABLE labels;
    DROP TABLE handouts;
    DROP TABLE samples;
    DROP TABLE projects;
  `);
}
