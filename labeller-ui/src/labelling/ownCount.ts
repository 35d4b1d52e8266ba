import type { Progress } from '@al/contract';

/**
 * The labeller's own count. Acks arrive out of order (the server handles requests
 * concurrently): the count is taken from the ack of the latest label, skip or undo sent, so it
 * never steps back.
 */
export class OwnCount {
  private actionSeq = 0;
  private mineSeq = 0;

  /** Numbers a label, skip or undo as it is sent; its ack is later merged with this number. */
  nextAction(): number {
    return ++this.actionSeq;
  }

  /**
   * The progress to show for an answer: `seq` of the label/skip/undo acked, undefined for a
   * hand-out (its count may lag); `shownMine` is the count on screen now.
   */
  merge(seq: number | undefined, progress: Progress, shownMine: number | undefined): Progress {
    let mine = shownMine ?? progress.mine;
    if (seq === undefined ? this.mineSeq === 0 : seq >= this.mineSeq) {
      this.mineSeq = seq ?? 0;
      mine = progress.mine;
    }
    return { ...progress, mine };
  }
}
