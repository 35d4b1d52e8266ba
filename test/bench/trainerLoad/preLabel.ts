/**
 * Gives the digits project its labels before the measured phases, through the socket contract
 * like any labeller: a few simulated labellers answer each handed-out digit with its true
 * label, read from the folder the image was written to (<…>/digits/<label>/<n>.png).
 */
import type { Knex } from 'knex';
import { getSampleById } from '@al/db';
import { trueDigitLabelOf } from '@al/media';
import { connectLabeller, request, type LabellerSocket } from './labellerSocket';

const LABELLERS = 4;

/** Labels `count` digits with their true labels; returns how many were recorded. */
export async function preLabelDigits(opts: {
  url: string;
  knex: Knex;
  project: string;
  count: number;
  deadline: number;
  onProgress: (labelled: number) => void;
}): Promise<number> {
  const sockets = await Promise.all(
    Array.from({ length: LABELLERS }, (_, i) =>
      connectLabeller(opts.url, `expert-${i}`, opts.project),
    ),
  );
  let labelled = 0;
  let claimed = 0;
  const work = async (socket: LabellerSocket): Promise<void> => {
    while (claimed < opts.count) {
      if (performance.now() > opts.deadline) throw new Error('pre-labelling ran out of time');
      claimed++;
      const next = await request(socket, 'sample:next', {});
      if ('error' in next) throw new Error(`sample:next refused: ${next.error.message}`);
      const sample = next.data.sample;
      if (!sample) throw new Error('the digits project ran out of samples to label');
      const row = await getSampleById({ tx: opts.knex, id: sample.id });
      const value = row ? trueDigitLabelOf(row.source_uri) : undefined;
      if (value === undefined) throw new Error(`no true label for sample ${sample.id}`);
      const ack = await request(socket, 'sample:label', { sampleId: sample.id, value });
      if ('error' in ack) throw new Error(`sample:label refused: ${ack.error.message}`);
      labelled++;
      if (labelled % 500 === 0) opts.onProgress(labelled);
    }
  };
  try {
    await Promise.all(sockets.map(work));
  } finally {
    for (const s of sockets) s.close();
  }
  return labelled;
}
