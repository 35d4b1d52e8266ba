/**
 * The socket event contract shared by the server and the labeller UI. Payload schemas live here
 * so the server validates exactly what the types promise. zod/mini, so the UI may import any of
 * it at a small bundle cost.
 */
import * as z from 'zod/mini';
import { ModelMetricsSchema } from './modelMetrics';

const MAX_OPTION_LENGTH = 200;

/** A sample id as a JSON number: positive integer, safe in JS and in Postgres bigint. */
const SampleIdSchema = z.int().check(z.positive());
/** Idempotency key: a resend with the same key returns the first result. */
const ClientKeySchema = z.optional(z.string().check(z.minLength(1), z.maxLength(100)));
const OptionSchema = z.string().check(z.minLength(1), z.maxLength(MAX_OPTION_LENGTH));

export const HandshakeAuthSchema = z.object({
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(64)),
  project: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))),
  token: z.optional(z.string().check(z.maxLength(512))),
});
export type HandshakeAuth = z.infer<typeof HandshakeAuthSchema>;

export const NextPayloadSchema = z.strictObject({});
export const LabelPayloadSchema = z.strictObject({
  sampleId: SampleIdSchema,
  value: z.union([OptionSchema, z.array(OptionSchema).check(z.minLength(1), z.maxLength(100))]),
  clientKey: ClientKeySchema,
});
export const SkipPayloadSchema = z.strictObject({
  sampleId: SampleIdSchema,
  clientKey: ClientKeySchema,
});
export const UndoPayloadSchema = z.strictObject({});

export type NextPayload = z.infer<typeof NextPayloadSchema>;
export type LabelPayload = z.infer<typeof LabelPayloadSchema>;
export type SkipPayload = z.infer<typeof SkipPayloadSchema>;
export type UndoPayload = z.infer<typeof UndoPayloadSchema>;

/** The only error codes a client ever sees; anything else is reported as INTERNAL. */
export const ERROR_CODES = [
  'BAD_REQUEST',
  'SAMPLE_NOT_FOUND',
  'NOT_LEASED',
  'ALREADY_LABELLED',
  'INVALID_LABEL',
  'WRONG_PROJECT',
  'NOTHING_TO_UNDO',
  /** Retryable: the database is unreachable or the server is shutting down; resend as is. */
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AckError {
  error: { code: ErrorCode; message: string };
}
export type Ack<T> = { data: T } | AckError;

export interface Progress {
  /** Samples in the project. */
  total: number;
  /** Samples with all wanted labels. */
  done: number;
  /** Effective labels recorded so far. */
  labels: number;
  /** Labels wanted in all (total × labels per sample). */
  wanted: number;
  /** Samples under a live lease. */
  leased: number;
  /** Effective labels of the labeller receiving this (0 in broadcasts). */
  mine: number;
}

export interface Suggestion {
  value: string | string[];
  confidence: number | null;
}

export interface SampleForLabelling {
  id: number;
  /** Relative URL of the resized image: `/api/samples/<id>/image`. */
  imageUrl: string;
  options: string[];
  multiLabel: boolean;
  suggestion?: Suggestion;
}

export interface NextResult {
  sample: SampleForLabelling | null;
  progress: Progress;
}
export interface LabelResult {
  progress: Progress;
  /** True when the lease had lapsed and the sample already had its labels: kept, not counted. */
  conflict: boolean;
}
export interface SkipResult {
  progress: Progress;
}
export interface UndoResult {
  sample: SampleForLabelling;
  /** False only when somebody else holds the sample's lease now. */
  leased: boolean;
  progress: Progress;
}

/** `model:updated`: the project has a new model; its metrics as the contract reads them. */
export const ModelUpdateSchema = z.object({ version: z.int(), metrics: ModelMetricsSchema });
export type ModelUpdate = z.infer<typeof ModelUpdateSchema>;

/** Every client request: its payload and the `data` of a successful ack. */
export interface ClientRequests {
  'sample:next': { payload: NextPayload; result: NextResult };
  'sample:label': { payload: LabelPayload; result: LabelResult };
  'sample:skip': { payload: SkipPayload; result: SkipResult };
  'sample:undo': { payload: UndoPayload; result: UndoResult };
}
export type ClientEvent = keyof ClientRequests;
export type ClientPayload<E extends ClientEvent> = ClientRequests[E]['payload'];
export type ClientResult<E extends ClientEvent> = ClientRequests[E]['result'];

/** socket.io's event map: every client event takes its payload and an ack callback. */
export type ClientToServerEvents = {
  [E in ClientEvent]: (payload: ClientPayload<E>, ack: (res: Ack<ClientResult<E>>) => void) => void;
};

/** The payload schema of each client event, for whoever receives them. */
export const CLIENT_PAYLOAD_SCHEMAS: {
  readonly [E in ClientEvent]: z.ZodMiniType<ClientPayload<E>>;
} = {
  'sample:next': NextPayloadSchema,
  'sample:label': LabelPayloadSchema,
  'sample:skip': SkipPayloadSchema,
  'sample:undo': UndoPayloadSchema,
};

export interface ServerToClientEvents {
  /** Project totals (with `mine` = 0), coalesced to a few per second per project. */
  'progress:update': (progress: Omit<Progress, 'mine'>) => void;
  'model:updated': (update: ModelUpdate) => void;
}

export const SOCKET_PATH = '/socket.io';

/** Room every socket of a project joins; broadcasts go there (across processes). */
export function projectRoom(projectId: number): string {
  return `project:${projectId}`;
}
