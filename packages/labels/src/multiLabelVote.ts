/**
 * Final label of a multi-label item: each option is in when a strict majority of the answers
 * include it (a tie leaves it out: an option half the labellers rejected is not "agreed").
 * Confidence is the mean, over the options, of the share of answers that agree with the
 * decision on that option, so 1 means everyone gave the same set.
 */
export function multiLabelVote(
  options: readonly string[],
  answers: readonly (readonly string[])[],
): { label: string[]; confidence: number } | null {
  if (answers.length === 0 || options.length === 0) return null;
  const label: string[] = [];
  let agreement = 0;
  for (const option of options) {
    const yes = answers.reduce((n, answer) => n + (answer.includes(option) ? 1 : 0), 0);
    const inLabel = yes * 2 > answers.length;
    if (inLabel) label.push(option);
    agreement += (inLabel ? yes : answers.length - yes) / answers.length;
  }
  return { label, confidence: agreement / options.length };
}
