/**
 * Gold checks over HTTP (admin): known answers an admin sets for images, mixed into each
 * labeller's stream at the project's share, and how each labeller and image fares on them.
 */
import * as z from 'zod/mini';

const GoldLabelSchema = z.union([
  z.string().check(z.minLength(1), z.maxLength(200)),
  z.array(z.string().check(z.minLength(1), z.maxLength(200))).check(z.maxLength(100)),
]);

/**
 * One gold answer: the image by its source URI or sample id; the label may be left out for an
 * image a reviewer decided (its review in force becomes the gold answer: "promote").
 */
export const GoldItemInputSchema = z
  .object({
    uri: z.optional(z.string().check(z.minLength(1), z.maxLength(4096))),
    sampleId: z.optional(z.int().check(z.positive())),
    label: z.optional(GoldLabelSchema),
  })
  .check(
    z.refine((item) => (item.uri === undefined) !== (item.sampleId === undefined), {
      message: 'each item names its image by exactly one of uri or sampleId',
    }),
  );
export type GoldItemInput = z.infer<typeof GoldItemInputSchema>;

/** `POST /api/projects/:project/gold` as JSON; the same route takes `text/csv` with `uri,label`. */
export const GoldUploadSchema = z.object({
  items: z.array(GoldItemInputSchema).check(z.minLength(1), z.maxLength(10_000)),
});
export type GoldUpload = z.infer<typeof GoldUploadSchema>;

export const GoldUploadResultSchema = z.object({ added: z.int() });
export type GoldUploadResult = z.infer<typeof GoldUploadResultSchema>;

/** `GET /api/projects/:project/gold`: the share and every gold image in force. */
export const GoldListSchema = z.object({
  share: z.number(),
  items: z.array(
    z.object({
      sampleId: z.int(),
      uri: z.string(),
      label: z.union([z.string(), z.array(z.string())]),
      /** Labels in force on the image, and how many match its gold answer. */
      answers: z.int(),
      correct: z.int(),
    }),
  ),
});
export type GoldList = z.infer<typeof GoldListSchema>;

/** `PUT /api/projects/:project/gold/share`: the share of each labeller's hand-outs that are gold. */
export const GoldShareSchema = z.object({ share: z.number().check(z.gte(0), z.lte(0.5)) });
export type GoldShare = z.infer<typeof GoldShareSchema>;
