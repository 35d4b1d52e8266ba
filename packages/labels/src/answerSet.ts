import type { GroupedAnswers } from './dawidSkene';

/** One answer in force, as read from the label log (label id order). */
export interface AnswerInput {
  sampleId: number;
  labeller: string;
  /** Class index (single-label) or the index of its distinct option set (multi-label). */
  value: number;
}

/**
 * Every answer of a project kept in typed arrays (≈ 16 bytes an answer: 300k answers ≈ 5 MB),
 * then grouped by sample id for Dawid–Skene and for the id-ordered export walk.
 */
export class AnswerSet {
  private sampleIds = new Float64Array(1024);
  private labellerIds = new Int32Array(1024);
  private values = new Int32Array(1024);
  private count = 0;
  private readonly labellerIndex = new Map<string, number>();

  add(answer: AnswerInput): void {
    if (this.count === this.sampleIds.length) this.grow();
    let j = this.labellerIndex.get(answer.labeller);
    if (j === undefined) {
      j = this.labellerIndex.size;
      this.labellerIndex.set(answer.labeller, j);
    }
    this.sampleIds[this.count] = answer.sampleId;
    this.labellerIds[this.count] = j;
    this.values[this.count] = answer.value;
    this.count++;
  }

  /** Labeller names by the index grouped answers use. */
  labellerNames(): string[] {
    return [...this.labellerIndex.keys()];
  }

  private grow(): void {
    const size = this.sampleIds.length * 2;
    const grow = <T extends Float64Array | Int32Array>(from: T, to: T): T => {
      to.set(from);
      return to;
    };
    this.sampleIds = grow(this.sampleIds, new Float64Array(size));
    this.labellerIds = grow(this.labellerIds, new Int32Array(size));
    this.values = grow(this.values, new Int32Array(size));
  }

  /**
   * Groups by sample id (ascending). Answers arrive in label id order and the sort is stable,
   * so within a sample the newest answer comes last; when one labeller has two answers in force
   * on a sample (not expected, but the log allows it) only the newest counts, because DS
   * assumes one independent answer per labeller and item.
   */
  group(classes: number): GroupedAnswers & { sampleIds: Float64Array } {
    const n = this.count;
    const order = new Int32Array(n);
    for (let a = 0; a < n; a++) order[a] = a;
    const ids = this.sampleIds;
    order.sort((x, y) => (ids[x] ?? 0) - (ids[y] ?? 0) || x - y);
    const itemStart: number[] = [0];
    const sampleIds: number[] = [];
    const labeller = new Int32Array(n);
    const label = new Int32Array(n);
    let at = 0;
    let groupStart = 0;
    for (let o = 0; o < n; o++) {
      const a = order[o] ?? 0;
      const sampleId = ids[a] ?? 0;
      if (sampleIds.at(-1) !== sampleId) {
        if (sampleIds.length > 0) itemStart.push(at);
        sampleIds.push(sampleId);
        groupStart = at;
      }
      const j = this.labellerIds[a] ?? 0;
      const value = this.values[a] ?? 0;
      let slot = at;
      for (let b = groupStart; b < at; b++) if (labeller[b] === j) slot = b;
      labeller[slot] = j;
      label[slot] = value;
      if (slot === at) at++;
    }
    if (sampleIds.length > 0) itemStart.push(at);
    return {
      items: sampleIds.length,
      labellers: this.labellerIndex.size,
      classes,
      itemStart: Int32Array.from(itemStart),
      labeller: labeller.subarray(0, at),
      label: label.subarray(0, at),
      sampleIds: Float64Array.from(sampleIds),
    };
  }
}
