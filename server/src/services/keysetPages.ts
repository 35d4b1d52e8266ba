/**
 * Every row of a keyset-paged query, in id order: asks for the page after the last id seen
 * until a short page. Each page is an index range scan, so a long export holds no cursor open.
 */
export async function* keysetPages<Row extends { id: number }>(
  page: (afterId: number, limit: number) => Promise<Row[]>,
  limit: number,
): AsyncGenerator<Row[]> {
  for (let afterId = 0; ;) {
    const rows = await page(afterId, limit);
    if (rows.length > 0) yield rows;
    const last = rows.at(-1);
    if (!last || rows.length < limit) return;
    afterId = last.id;
  }
}
