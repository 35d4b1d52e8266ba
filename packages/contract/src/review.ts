/**
 * Review decisions over HTTP (admin): a reviewer confirms or corrects an image's final label.
 * Every decision is a new row; the newest is in force and overrides the labellers' answers in
 * final labels and training, and the older ones stay in the image's history.
 */
import * as z from 'zod/mini';

const ReviewLabelSchema = z.union([
  z.string().check(z.minLength(1), z.maxLength(200)),
  z.array(z.string().check(z.minLength(1), z.maxLength(200))).check(z.maxLength(100)),
]);

/**
 * `POST /api/projects/:project/review/:sampleId`. Single-label projects take one of their
 * options; multi-label ones a subset of them (a lone string is a set of one). Confirming is
 * posting the label the image already has.
 */
export const ReviewDecisionSchema = z.object({
  label: ReviewLabelSchema,
  /** Who decided; "admin" when left out. */
  reviewer: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))),
});
export type ReviewDecision = z.infer<typeof ReviewDecisionSchema>;

/** One decision as stored (`GET .../review/:sampleId/history` lists them, oldest first). */
export const ReviewEntrySchema = z.object({
  id: z.int(),
  sampleId: z.int(),
  label: z.union([z.string(), z.array(z.string())]),
  reviewer: z.string(),
  createdAt: z.string(),
});
export type ReviewEntry = z.infer<typeof ReviewEntrySchema>;
export const ReviewHistorySchema = z.array(ReviewEntrySchema);
export type ReviewHistory = z.infer<typeof ReviewHistorySchema>;

/** 201 answer of the POST: the decision, and the label in force before it (null: none). */
export const ReviewRecordedSchema = z.extend(ReviewEntrySchema, {
  previous: z.nullable(z.union([z.string(), z.array(z.string())])),
});
export type ReviewRecorded = z.infer<typeof ReviewRecordedSchema>;
