import type { SessionSnapshot } from './labellingSession';

/** One sentence for the live region: what state the page is in right now. */
export function statusText(snap: SessionSnapshot): string {
  const queued = snap.pending > 0 ? ` ${snap.pending} label(s) queued; they will be sent.` : '';
  switch (snap.connection) {
    case 'connecting':
      return 'Connecting…';
    case 'reconnecting':
      return `Connection lost, reconnecting…${queued}`;
    case 'disconnected':
      return snap.refusal ? `Not connected: ${snap.refusal}` : 'Disconnected.';
    case 'connected':
      if (snap.status === 'empty') return 'Nothing left to label for now. Thank you!';
      if (snap.status === 'loading')
        return `Loading the next image…${snap.notice ? ` ${snap.notice}` : ''}`;
      return snap.notice ?? '';
  }
}

/** Read out by screen readers whenever the page's state changes; not shown. */
export function LiveStatus({ snap }: { snap: SessionSnapshot }) {
  return (
    <p className="visually-hidden" role="status" aria-live="polite" data-testid="live-status">
      {statusText(snap)}
    </p>
  );
}
