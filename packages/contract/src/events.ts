/**
 * The socket event contract shared by the server and the labeller UI (the UI imports types
 * only). Payload schemas live here so the server validates exactly what the types promise.
 */
import { z } from 'zod';

const MAX_OPTION_LENGTH = 200;

/** A sample id as a JSON number: positive integer, safe in JS and in Postgres bigint. */
const SampleIdSchema = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
/** Idempotency key: a resend with the same key returns the first result. */
const ClientKeySchema = z.string().min(1).max(100).optional();
const OptionSchema = z.string().min(1).max(MAX_OPTION_LENGTH);

export const HandshakeAuthSchema = z.object({
  name: z.string().trim().min(1).max(64),
  project: z.string().trim().min(1).max(100).optional(),
  token: z.string().max(512).optional(),
});
export type HandshakeAuth = z.infer<typeof HandshakeAuthSchema>;

export const NextPayloadSchema = z.object({}).strict();
export const LabelPayloadSchema = z
  .object({
    sampleId: SampleIdSchema,
    value: z.union([OptionSchema, z.array(OptionSchema).min(1).max(100)]),
    clientKey: ClientKeySchema,
  })
  .strict();
export const SkipPayloadSchema = z
  .object({ sampleId: SampleIdSchema, clientKey: ClientKeySchema })
  .strict();
export const UndoPayloadSchema = z.object({}).strict();

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

export interface ModelUpdate {
  version: number;
  metrics: Record<string, unknown>;
}

export interface ClientToServerEvents {
  'sample:next': (payload: NextPayload, ack: (res: Ack<NextResult>) => void) => void;
  'sample:label': (payload: LabelPayload, ack: (res: Ack<LabelResult>) => void) => void;
  'sample:skip': (payload: SkipPayload, ack: (res: Ack<SkipResult>) => void) => void;
  'sample:undo': (payload: UndoPayload, ack: (res: Ack<UndoResult>) => void) => void;
}

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
