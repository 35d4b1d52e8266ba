import type { DbProjectRow } from '@al/db';
import type { AheadLease } from './handoutAhead';

/** What a connected labeller's socket carries: who, in which project, holding what. */
export interface LabellerSession {
  labeller: string;
  project: Pick<DbProjectRow, 'id' | 'name' | 'options' | 'multi_label'>;
  /** Sample ids leased to this socket and not yet labelled or skipped: renewed, then released. */
  held: Set<number>;
  /**
   * The labeller's effective labels in the project: read once at connect, then kept by this
   * socket's own actions (another tab of the same name is not seen until it reconnects).
   */
  mine: number;
  /** The labeller's next sample, leased when their last answer committed (HandoutAhead). */
  ahead: AheadLease | undefined;
  /** Set on disconnect: no more hand-outs ahead for this socket. */
  gone: boolean;
}
