import type { Knex } from 'knex';

/**
 * Per-project page of multi-page images (TIFF stacks, OME-TIFF planes, GIF frames) that is
 * shown and learnt from: a page index ('0', the first, as every project did before this
 * column) or 'max', the maximum-intensity projection over the pages. Parsed by @al/media.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE projects
      ADD COLUMN image_page text NOT NULL DEFAULT '0'
        CHECK (image_page ~ '^(max|0|[1-9][0-9]{0,3})$');
    COMMENT ON COLUMN projects.image_page IS 'Page of multi-page images shown and learnt from: an index (0 = first) or max (maximum-intensity projection).';
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE projects DROP COLUMN image_page;`);
}
