/**
 * Gold checks: an admin's known answers for images. Setting one appends a row (nothing is ever
 * overwritten) and takes the image out of the normal queue; the queue then mixes it into each
 * labeller's stream at the project's share (lease_samples), and the stats compare their answers
 * with it. Input is checked as a whole first: one bad item refuses the upload, nothing written.
 */
import type { Knex } from 'knex';
import {
  filterProjectSampleIds,
  findSamplesByUris,
  getSampleById,
  insertGoldLabels,
  listGoldItems,
  listKnownAnswers,
  syncGoldSampleStatus,
  updateProjectGoldShare,
  type DbProjectRow,
  type LabelValue,
} from '@al/db';
import type { GoldItemInput, GoldList, GoldUploadResult } from '@al/contract';
import { checkedLabel } from '../finalLabels/reviewDecisions';
import { requireProject } from '../projectLookup';
import { GoldInputError, parseGoldCsv } from './goldCsv';

/** At most this many problems are listed in one refusal. */
const LISTED_PROBLEMS = 20;

export class GoldService {
  constructor(private readonly knex: Knex) {}

  async list(name: string): Promise<GoldList> {
    const project = await requireProject(this.knex, name);
    const items = await listGoldItems({ tx: this.knex, projectId: project.id });
    return {
      share: project.gold_share,
      items: items.map((i) => ({
        sampleId: i.sample_id,
        uri: i.source_uri,
        label: i.value,
        answers: i.answers,
        correct: i.correct,
      })),
    };
  }

  async addCsv(name: string, csv: string, createdBy: string): Promise<GoldUploadResult> {
    const project = await requireProject(this.knex, name);
    return this.add(project, parseGoldCsv(csv, project.multi_label), createdBy);
  }

  async addItems(name: string, items: GoldItemInput[], createdBy: string) {
    return this.add(await requireProject(this.knex, name), items, createdBy);
  }

  /** Appends a row retiring the image's gold answer; it rejoins the queue if it needs labels. */
  async retire(name: string, sampleId: number, createdBy: string): Promise<boolean> {
    const project = await requireProject(this.knex, name);
    const sample = await getSampleById({ tx: this.knex, id: sampleId });
    if (sample?.project_id !== project.id) return false;
    await this.knex.transaction(async (tx) => {
      await insertGoldLabels({
        tx,
        projectId: project.id,
        items: [{ sampleId, value: null }],
        createdBy,
      });
      await syncGoldSampleStatus({ tx, projectId: project.id, sampleIds: [sampleId] });
    });
    return true;
  }

  async setShare(name: string, share: number): Promise<void> {
    const project = await requireProject(this.knex, name);
    await updateProjectGoldShare({ tx: this.knex, projectId: project.id, share });
  }

  private async add(
    project: DbProjectRow,
    items: GoldItemInput[],
    createdBy: string,
  ): Promise<GoldUploadResult> {
    const byUri = await findSamplesByUris({
      tx: this.knex,
      projectId: project.id,
      uris: items.flatMap((i) => (i.uri === undefined ? [] : [i.uri])),
    });
    const reviewed = new Map(
      (await listKnownAnswers({ tx: this.knex, projectId: project.id }))
        .filter((k) => k.source === 'review')
        .map((k) => [k.sample_id, k.value]),
    );
    const ids = items.flatMap((i) => (i.sampleId === undefined ? [] : [i.sampleId]));
    const ownIds = await filterProjectSampleIds({ tx: this.knex, projectId: project.id, ids });
    const problems: string[] = [];
    const rows: { sampleId: number; value: LabelValue }[] = [];
    items.forEach((item, i) => {
      const where = item.uri ?? `sample ${String(item.sampleId)}`;
      const sampleId = item.uri !== undefined ? byUri.get(item.uri) : item.sampleId;
      if (sampleId === undefined || (item.sampleId !== undefined && !ownIds.has(sampleId))) {
        problems.push(`item ${i + 1} (${where}): no such image in project ${project.name}`);
        return;
      }
      const label = item.label ?? reviewed.get(sampleId);
      if (label === undefined) {
        problems.push(`item ${i + 1} (${where}): no label given and no review to promote`);
        return;
      }
      const checked = checkedLabel(project, label);
      if (!checked.ok) {
        problems.push(`item ${i + 1} (${where}): ${checked.message}`);
        return;
      }
      rows.push({ sampleId, value: checked.value });
    });
    if (problems.length > 0) {
      const more = problems.length - LISTED_PROBLEMS;
      throw new GoldInputError(
        `nothing was added: ${problems.slice(0, LISTED_PROBLEMS).join('; ')}` +
          (more > 0 ? `; and ${more} more` : ''),
      );
    }
    await this.knex.transaction(async (tx) => {
      await insertGoldLabels({ tx, projectId: project.id, items: rows, createdBy });
      await syncGoldSampleStatus({
        tx,
        projectId: project.id,
        sampleIds: [...new Set(rows.map((r) => r.sampleId))],
      });
    });
    return { added: rows.length };
  }
}
