/** Answers for the final-label and agreement tests: packing, and a simulated crowd. */
import type { GroupedAnswers } from '../dawidSkene';
// The bench's seeded RNG (mulberry32): the simulated crowd is the same on every run.
import { createRng } from '../../../../test/bench/al/rng';

/** [item][k] = [labeller, label] pairs, packed into the grouped typed arrays. */
export function group(
  perItem: [number, number][][],
  labellers: number,
  classes: number,
): GroupedAnswers {
  const total = perItem.reduce((n, a) => n + a.length, 0);
  const answers: GroupedAnswers = {
    items: perItem.length,
    labellers,
    classes,
    itemStart: new Int32Array(perItem.length + 1),
    labeller: new Int32Array(total),
    label: new Int32Array(total),
  };
  let at = 0;
  perItem.forEach((item, i) => {
    for (const [j, l] of item) {
      answers.labeller[at] = j;
      answers.label[at] = l;
      at++;
    }
    answers.itemStart[i + 1] = at;
  });
  return answers;
}

/**
 * `items` items of `classes` classes, each answered by `overlap` different labellers drawn
 * from `accuracy` (a labeller at 1/classes answers at random; a wrong answer is any other class).
 */
export function simulateCrowd(opts: {
  seed: number;
  items: number;
  classes: number;
  accuracy: readonly number[];
  overlap: number;
}): { truth: number[]; answers: GroupedAnswers } {
  const { classes, accuracy } = opts;
  const random = createRng(opts.seed);
  const truth: number[] = [];
  const perItem: [number, number][][] = [];
  for (let i = 0; i < opts.items; i++) {
    const y = Math.floor(random() * classes);
    truth.push(y);
    const who = new Set<number>();
    while (who.size < opts.overlap) who.add(Math.floor(random() * accuracy.length));
    perItem.push(
      [...who].map((j): [number, number] => {
        const p = accuracy[j] ?? 0;
        if (p === 1 / classes) return [j, Math.floor(random() * classes)];
        if (random() < p) return [j, y];
        return [j, (y + 1 + Math.floor(random() * (classes - 1))) % classes];
      }),
    );
  }
  return { truth, answers: group(perItem, accuracy.length, classes) };
}
