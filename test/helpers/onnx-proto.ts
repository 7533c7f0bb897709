/**
 * Writes small ONNX ModelProto files for tests of the folder checks: only the fields onnx-info.ts reads
 * (IR version, opset imports, graph inputs/outputs with element type and shape, initializers). The
 * field numbers are onnx.proto's; a real model (the v1 fixture) is read by the same tests.
 */
function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

const enc = new TextEncoder();
const num = (no: number, v: number) => [...varint(no * 8), ...varint(v)];
const bytes = (no: number, payload: number[] | Uint8Array) => [...varint(no * 8 + 2), ...varint(payload.length), ...payload];
const str = (no: number, s: string) => bytes(no, enc.encode(s));

export interface TensorSpec {
  name: string;
  elemType?: number;
  dims?: (number | string)[];
}

function valueInfo(t: TensorSpec): number[] {
  const dims = (t.dims ?? ['batch', 'sequence']).map((d) => bytes(1, typeof d === 'number' ? num(1, d) : str(2, d)));
  const tensorType = [...num(1, t.elemType ?? 7), ...bytes(2, dims.flat())];
  return [...str(1, t.name), ...bytes(2, bytes(1, tensorType))];
}

export interface ModelSpec {
  irVersion?: number;
  opsets?: [string, number][];
  inputs?: TensorSpec[];
  outputs?: TensorSpec[];
  /** Initializers by name; `external` sets data_location = EXTERNAL. */
  initializers?: { name: string; external?: boolean }[];
}

export function onnxModel(spec: ModelSpec = {}): Uint8Array {
  const inputs = spec.inputs ?? [{ name: 'input_ids' }, { name: 'attention_mask' }, { name: 'token_type_ids' }];
  const outputs = spec.outputs ?? [{ name: 'logits', elemType: 1, dims: ['batch', 8] }];
  const graph = [
    ...str(2, 'g'),
    ...(spec.initializers ?? []).flatMap((i) =>
      bytes(5, [...num(2, 1), ...str(8, i.name), ...bytes(9, [1, 2, 3, 4]), ...(i.external ? num(14, 1) : [])]),
    ),
    ...inputs.flatMap((t) => bytes(11, valueInfo(t))),
    ...outputs.flatMap((t) => bytes(12, valueInfo(t))),
  ];
  const opsets = (spec.opsets ?? [['', 14]]).flatMap(([domain, v]) => bytes(8, [...(domain ? str(1, domain) : []), ...num(2, v)]));
  return new Uint8Array([...num(1, spec.irVersion ?? 7), ...str(2, 'test'), ...bytes(7, graph), ...opsets]);
}
