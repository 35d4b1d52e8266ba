/**
 * One simulated labeller: a socket.io client speaking the public contract (handshake
 * `auth: { name, project }`, acked `sample:next` and `sample:label`).
 */
import { io, type Socket } from 'socket.io-client';
import { z } from 'zod';

const ACK_TIMEOUT_MS = 60_000;
const UNAVAILABLE_RETRIES = 20;

const ErrorAckSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
const SampleSchema = z.object({
  id: z.number(),
  imageUrl: z.string(),
  options: z.array(z.string()),
  multiLabel: z.boolean(),
});
export type HandedSample = z.infer<typeof SampleSchema>;
const NextAckSchema = z.union([
  z.object({ data: z.object({ sample: SampleSchema.nullable(), progress: z.unknown() }) }),
  ErrorAckSchema,
]);
const LabelAckSchema = z.union([
  z.object({ data: z.object({ progress: z.unknown(), conflict: z.boolean().optional() }) }),
  ErrorAckSchema,
]);
const ModelUpdatedSchema = z.object({ version: z.number() });

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class SimLabeller {
  private constructor(
    readonly name: string,
    private readonly socket: Socket,
    /** Error codes seen in acks (and lost connections), counted, for the report. */
    readonly problems: Map<string, number>,
  ) {}

  static async connect(
    url: string,
    name: string,
    project: string,
    problems: Map<string, number>,
  ): Promise<SimLabeller> {
    const socket = io(url, { auth: { name, project }, transports: ['websocket'], forceNew: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`${name}: socket.io handshake timed out`));
      }, 15_000);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('connect_error', (err) => {
        clearTimeout(timer);
        reject(new Error(`${name}: socket.io handshake refused: ${err.message}`));
      });
    });
    socket.on('disconnect', (reason) => {
      if (reason !== 'io client disconnect') {
        problems.set(
          `socket disconnect: ${reason}`,
          (problems.get(`socket disconnect: ${reason}`) ?? 0) + 1,
        );
      }
    });
    return new SimLabeller(name, socket, problems);
  }

  private count(what: string): void {
    this.problems.set(what, (this.problems.get(what) ?? 0) + 1);
  }

  /** Calls `handler` with the version of every `model:updated` broadcast. */
  onModelUpdated(handler: (version: number) => void): void {
    this.socket.on('model:updated', (payload: unknown) => {
      const parsed = ModelUpdatedSchema.safeParse(payload);
      if (parsed.success) handler(parsed.data.version);
      else this.count('model:updated with an unexpected payload');
    });
  }

  /** Sends and validates an acked request, resending while the server answers UNAVAILABLE. */
  private async request<S extends z.ZodType>(
    event: string,
    payload: object,
    schema: S,
  ): Promise<z.infer<S>> {
    for (let attempt = 0; ; attempt++) {
      const raw: unknown = await this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, payload);
      const parsed = schema.safeParse(raw);
      if (!parsed.success) {
        const shown = JSON.stringify(raw).slice(0, 300);
        throw new Error(`${this.name}: ${event} ack has an unexpected shape: ${shown}`);
      }
      const refused = ErrorAckSchema.safeParse(raw);
      if (refused.success && refused.data.error.code === 'UNAVAILABLE') {
        if (attempt < UNAVAILABLE_RETRIES) {
          this.count(`${event}: UNAVAILABLE (resent)`);
          await sleep(500);
          continue;
        }
      }
      return parsed.data;
    }
  }

  /** The next sample, or null when the queue has nothing for this labeller. */
  async next(): Promise<HandedSample | null> {
    const ack = await this.request('sample:next', {}, NextAckSchema);
    if ('error' in ack) {
      throw new Error(`${this.name}: sample:next refused: ${ack.error.code} ${ack.error.message}`);
    }
    return ack.data.sample;
  }

  /** True when the label was recorded (and counted); refusals are counted as problems. */
  async label(sampleId: number, value: string): Promise<boolean> {
    const ack = await this.request('sample:label', { sampleId, value }, LabelAckSchema);
    if ('error' in ack) {
      this.count(`sample:label refused: ${ack.error.code}`);
      return false;
    }
    if (ack.data.conflict === true) {
      this.count('sample:label stored as a conflict (lease lost)');
      return false;
    }
    return true;
  }

  close(): void {
    this.socket.close();
  }
}
