/**
 * Writes a tiny ONNX model in protobuf wire format, so a test can build the backbone it loads
 * (no converter, no Python, no download). Only the fields of onnx.proto the model uses:
 * ModelProto { ir_version 1, producer_name 2, graph 7, opset_import 8 }, GraphProto { node 1,
 * name 2, initializer 5, input 11, output 12 }, NodeProto { input 1, output 2, name 3,
 * op_type 4 }, TensorProto { dims 1, data_type 2, name 8, raw_data 9 }, ValueInfoProto
 * { name 1, type 2 }, TypeProto.tensor_type 1 { elem_type 1, shape 2 { dim 1 { dim_value 1,
 * dim_param 2 } } }, OperatorSetIdProto { domain 1, version 2 }.
 */
import { createRng } from '../../acquisition/rng';

const VARINT = 0;
const LENGTH_DELIMITED = 2;
const FLOAT = 1;

class ProtoWriter {
  private readonly out: number[] = [];

  private varint(value: number): void {
    let v = value;
    while (v > 0x7f) {
      this.out.push((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    this.out.push(v);
  }

  private tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  int(field: number, value: number): this {
    this.tag(field, VARINT);
    this.varint(value);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, LENGTH_DELIMITED);
    this.varint(value.length);
    for (const b of value) this.out.push(b);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}

/** A dimension: a number is fixed, a string symbolic (the batch). */
type Dim = number | string;

function valueInfo(w: ProtoWriter, field: number, name: string, dims: readonly Dim[]): void {
  w.message(field, (v) =>
    v.string(1, name).message(2, (type) =>
      type.message(1, (tensor) =>
        tensor.int(1, FLOAT).message(2, (shape) => {
          for (const d of dims) {
            shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
          }
        }),
      ),
    ),
  );
}

function node(w: ProtoWriter, op: string, inputs: string[], output: string): void {
  w.message(1, (n) => {
    for (const i of inputs) n.string(1, i);
    n.string(2, output).string(3, output).string(4, op);
  });
}

export interface TinyOnnxModel {
  /** NCHW with a symbolic batch, or NHWC when `channelsLast`. */
  channels: number;
  height: number;
  width: number;
  dim: number;
  seed: number;
  channelsLast?: boolean;
  /** Graph outputs; `embedding` only by default. */
  outputs?: readonly ('embedding' | 'projection')[];
}

/** pixels → Flatten → MatMul (seeded random weights) → `projection` → Tanh → `embedding`. */
export function tinyOnnxModel(o: TinyOnnxModel): Uint8Array {
  const inputSize = o.channels * o.height * o.width;
  const rng = createRng(o.seed);
  const weights = new Float32Array(inputSize * o.dim);
  for (let i = 0; i < weights.length; i++) weights[i] = (rng() - 0.5) * 0.2;
  const raw = new Uint8Array(weights.length * 4);
  const view = new DataView(raw.buffer);
  weights.forEach((v, i) => {
    view.setFloat32(i * 4, v, true);
  });
  const inputDims: Dim[] = o.channelsLast
    ? ['N', o.height, o.width, o.channels]
    : ['N', o.channels, o.height, o.width];
  return new ProtoWriter()
    .int(1, 7)
    .string(2, 'active-labeller test')
    .message(7, (g) => {
      node(g, 'Flatten', ['pixels'], 'flat');
      node(g, 'MatMul', ['flat', 'weights'], 'projection');
      node(g, 'Tanh', ['projection'], 'embedding');
      g.string(2, 'tiny');
      g.message(5, (t) => {
        t.int(1, inputSize).int(1, o.dim).int(2, FLOAT).string(8, 'weights').bytes(9, raw);
      });
      valueInfo(g, 11, 'pixels', inputDims);
      for (const output of o.outputs ?? ['embedding']) valueInfo(g, 12, output, ['N', o.dim]);
    })
    .message(8, (op) => op.string(1, '').int(2, 13))
    .finish();
}
