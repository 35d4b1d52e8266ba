import type { Knex } from 'knex';
import { Coalescer, type Settled } from './coalescer';
import { insertAnswers } from './operations/queue/insertAnswers';
import { leaseNextSamples, type LeasedSample } from './operations/queue/leaseNextSamples';
import {
  answer,
  answerOutcome,
  nextSample,
  normaliseValue,
  type ActionInput,
  type AnswerRequest,
  type LabelOutcome,
} from './queue';
import type { LabelValue } from './tables';

export interface QueueBatcherOptions {
  /** Most items in one round trip; bounds how long the last item of a batch waits. */
  maxBatch?: number;
  /**
   * Batches running at once, per kind (hand-outs: per project). One by default: while it runs
   * the next batch grows, which is what saves the work; a second batch in flight would only
   * split the one growing.
   */
  handoutsInFlight?: number;
  answersInFlight?: number;
}

const DEFAULT_MAX_BATCH = 64;

interface HandoutRequest {
  labeller: string;
}

async function settle<O>(fn: () => Promise<O>): Promise<Settled<O>> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * The queue operations of db/src/queue.ts with the concurrent calls of one process coalesced:
 * hand-outs of one project share one lease_samples call, labels and skips share one
 * answer_samples call, so N labellers cost one round trip and one commit instead of N (per
 * statement, parse + plan + commit cost more than the queue's work itself).
 * Results and QueueError codes are per item, exactly as the single calls give them:
 * - a hand-out that found nothing goes through nextSample, which waits out rows another
 *   transaction holds before saying "nothing left";
 * - a batch of answers that fails as a whole (two resends with one client key racing, or any
 *   other error) rolled back entirely, so each item is retried alone through `answer`, which
 *   handles the race and reports its own error.
 * Answers are written in sample-id order so two batches lock rows in one order.
 */
export class QueueBatcher {
  private readonly handouts = new Map<
    string,
    Coalescer<HandoutRequest, LeasedSample | undefined>
  >();
  private readonly answers: Coalescer<AnswerRequest, LabelOutcome>;

  constructor(
    private readonly knex: Knex,
    private readonly opts: QueueBatcherOptions = {},
  ) {
    this.answers = new Coalescer((items) => this.answerBatch(items), {
      maxBatch: opts.maxBatch ?? DEFAULT_MAX_BATCH,
      maxInFlight: opts.answersInFlight ?? 1,
    });
  }

  /** Leases the next sample for a labeller; undefined when nothing is left for them. */
  next(input: { projectId: number; labeller: string; ttlSeconds: number }) {
    const key = `${input.projectId}:${input.ttlSeconds}`;
    let coalescer = this.handouts.get(key);
    if (!coalescer) {
      coalescer = new Coalescer(
        (items) => this.handoutBatch(input.projectId, input.ttlSeconds, items),
        {
          maxBatch: this.opts.maxBatch ?? DEFAULT_MAX_BATCH,
          maxInFlight: this.opts.handoutsInFlight ?? 1,
        },
      );
      this.handouts.set(key, coalescer);
    }
    return coalescer.submit({ labeller: input.labeller });
  }

  label(input: ActionInput & { value: LabelValue }): Promise<LabelOutcome> {
    return this.answers.submit({ ...input, kind: 'label', value: normaliseValue(input.value) });
  }

  async skip(input: ActionInput): Promise<{ labelId: number }> {
    const { labelId } = await this.answers.submit({ ...input, kind: 'skip', value: null });
    return { labelId };
  }

  private async handoutBatch(
    projectId: number,
    ttlSeconds: number,
    items: HandoutRequest[],
  ): Promise<Settled<LeasedSample | undefined>[]> {
    const leased = await leaseNextSamples({
      tx: this.knex,
      projectId,
      labellers: items.map((i) => i.labeller),
      ttlSeconds,
    });
    return Promise.all(
      items.map(async (item, k): Promise<Settled<LeasedSample | undefined>> => {
        const sample = leased[k];
        if (sample) return { ok: true, value: sample };
        return settle(() =>
          nextSample(this.knex, { projectId, labeller: item.labeller, ttlSeconds }),
        );
      }),
    );
  }

  private async answerBatch(items: AnswerRequest[]): Promise<Settled<LabelOutcome>[]> {
    const sorted = items
      .map((item, index) => ({ item, index }))
      .sort((a, b) => a.item.sampleId - b.item.sampleId);
    let results;
    try {
      results = await insertAnswers({
        tx: this.knex,
        answers: sorted.map(({ item }) => ({ ...item, clientKey: item.clientKey ?? null })),
      });
    } catch {
      // The batch rolled back as a whole; alone, each item gets its own outcome or error.
      return Promise.all(items.map((item) => settle(() => answer(this.knex, item))));
    }
    const settled = new Array<Settled<LabelOutcome>>(items.length);
    sorted.forEach(({ item, index }, j) => {
      const result = results[j];
      settled[index] = result
        ? settleSync(() => answerOutcome(item, result))
        : { ok: false, error: new Error('answer statement returned no row') };
    });
    return settled;
  }
}

function settleSync<O>(fn: () => O): Settled<O> {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    return { ok: false, error };
  }
}
