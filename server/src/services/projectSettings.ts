import type { Knex } from 'knex';
import {
  updateProjectAcquisition,
  updateProjectImageSettings,
  type DbProjectRow,
  type ImageDelivery,
} from '@al/db';
import {
  ACQUISITION_FUNCTION_NAMES,
  AcquisitionSettingsError,
  parseAcquisitionSettings,
  type AcquisitionSettings,
  type AcquisitionSettingsAnswer,
  type ImageSettingsAnswer,
} from '@al/contract';
import { imagePageColumn, imagePageOfColumn, type ImagePage } from '@al/media';
import { requireProject } from './projectLookup';

/** What a settings form may offer for the enumerated keys. */
const CHOICES = { function: [...ACQUISITION_FUNCTION_NAMES] };

function imagesOf(project: DbProjectRow): ImageSettingsAnswer {
  return {
    images: {
      delivery: project.image_delivery,
      thumbnailSuffix: project.thumbnail_suffix,
      page: imagePageOfColumn(project.image_page),
    },
  };
}

/**
 * A project's admin settings: acquisition (read by the orchestrator at each retrain, with the
 * contract's schema, so what is accepted here is exactly what a retrain uses) and how its images
 * reach the browser.
 */
export class ProjectSettings {
  constructor(private readonly knex: Knex) {}

  async acquisition(name: string): Promise<AcquisitionSettingsAnswer> {
    const project = await requireProject(this.knex, name);
    try {
      return {
        settings: parseAcquisitionSettings(project.acquisition),
        problem: null,
        choices: CHOICES,
      };
    } catch (err) {
      if (!(err instanceof AcquisitionSettingsError)) throw err;
      // A hand-edited row the orchestrator would refuse: show the defaults and say why.
      return { settings: parseAcquisitionSettings({}), problem: err.message, choices: CHOICES };
    }
  }

  /** Replaces the settings (validated by the caller; keys left out took their defaults). */
  async replaceAcquisition(
    name: string,
    settings: AcquisitionSettings,
  ): Promise<AcquisitionSettingsAnswer> {
    const project = await requireProject(this.knex, name);
    await updateProjectAcquisition({ tx: this.knex, projectId: project.id, acquisition: settings });
    return { settings, problem: null, choices: CHOICES };
  }

  async images(name: string): Promise<ImageSettingsAnswer> {
    return imagesOf(await requireProject(this.knex, name));
  }

  /** Keys left out keep their value; `thumbnailSuffix: null` turns thumbnails off. */
  async updateImages(
    name: string,
    {
      page,
      ...change
    }: { delivery?: ImageDelivery; thumbnailSuffix?: string | null; page?: ImagePage },
  ): Promise<ImageSettingsAnswer> {
    const project = await requireProject(this.knex, name);
    await updateProjectImageSettings({
      tx: this.knex,
      projectId: project.id,
      ...change,
      ...(page !== undefined && { page: imagePageColumn(page) }),
    });
    return imagesOf(await requireProject(this.knex, name));
  }
}
