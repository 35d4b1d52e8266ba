import type { Tx } from '../../knex';
import type { DbProjectRow, ImageDelivery } from '../../tables';

/**
 * Sets how a project's images are served. Fields left undefined keep their value;
 * `thumbnailSuffix: null` turns thumbnails off; `page` is the projects.image_page text. Returns
 * false when no project has this id.
 */
export async function updateProjectImageSettings({
  tx,
  projectId,
  delivery,
  thumbnailSuffix,
  page,
}: {
  tx: Tx;
  projectId: number;
  delivery?: ImageDelivery;
  thumbnailSuffix?: string | null;
  page?: string;
}): Promise<boolean> {
  const changes: Record<string, unknown> = {};
  if (delivery !== undefined) changes.image_delivery = delivery;
  if (thumbnailSuffix !== undefined) changes.thumbnail_suffix = thumbnailSuffix;
  if (page !== undefined) changes.image_page = page;
  if (Object.keys(changes).length === 0) {
    const row = await tx<DbProjectRow>('projects').where({ id: projectId }).first('id');
    return row !== undefined;
  }
  const updated = await tx('projects').where({ id: projectId }).update(changes);
  return updated > 0;
}
