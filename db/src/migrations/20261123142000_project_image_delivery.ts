import type { Knex } from 'knex';

/**
 * Per-project image serving for S3 sources:
 * - image_delivery: 'proxy' (the server reads, resizes and caches) or 'presign' (the image
 *   route answers 302 to a presigned GET URL, so the bytes go from the bucket to the browser
 *   and the server only signs). Default proxy: it is what local folders can do and what every
 *   project did before this column.
 * - thumbnail_suffix: Lightly's thumbnail suffix; when set, resized thumbnails are written
 *   next to the originals under it (if the credentials may write) and read from there first.
 *   NULL means no thumbnails are written or looked for.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE projects
      ADD COLUMN image_delivery text NOT NULL DEFAULT 'proxy'
        CHECK (image_delivery IN ('proxy', 'presign')),
      ADD COLUMN thumbnail_suffix text
        CHECK (length(thumbnail_suffix) BETWEEN 1 AND 200);
    COMMENT ON COLUMN projects.image_delivery IS 'proxy: server reads, resizes, caches; presign: image route redirects to a presigned GET URL (S3 sources only).';
    COMMENT ON COLUMN projects.thumbnail_suffix IS 'Lightly thumbnail suffix (e.g. _thumb, .thumb.webp, .lightly/thumbnails/[filename]_thumb.[extension]); NULL: no thumbnails.';
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE projects DROP COLUMN thumbnail_suffix, DROP COLUMN image_delivery;
  `);
}
