/**
 * Reads what a model folder's ONNX file promises before anything runs it: the IR version, the opset
 * imports, the graph's inputs and outputs (name, element type, shape) and whether any weights live in
 * external files. A small reader of the protobuf wire format, written here rather than taking
 * protobufjs + onnx.proto: it needs five fields of three messages, it skips the weight payloads
 * (megabytes) by their length instead of decoding them, and every failure can say where the file is
 * broken. Throws OnnxFormatError (byte offset) on anything that is not a well-formed ModelProto.
 */

export class OnnxFormatError extends Error {
  override name = 'OnnxFormatError';
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`ONNX protobuf: ${reason} at byte ${offset}`);
  }
}

/** TensorProto.DataType values the check names (onnx.proto). */
export const ONNX_INT64 = 7;
export const ONNX_FLOAT = 1;

export interface OnnxValueInfo {
  name: string;
  /** TensorProto.DataType; 0 when the file does not say. */
  elemType: number;
  /** Per dimension: a fixed size, a symbolic name, or undefined when unknown. */
  dims: (number | string | undefined)[];
}

export interface OnnxInfo {
  irVersion: number;
  /** Domain ('' is the default ai.onnx domain) → opset version. */
  opsets: Map<string, number>;
  /** Graph inputs that are not initializers (what a caller must feed). */
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  /** Some initializer's data is in a file beside the model (data_location = EXTERNAL). */
  externalData: boolean;
}

interface Field {
  no: number;
  wire: number;
  /** Varint value (wire 0). */
  value: number;
  /** Payload bounds (wire 2). */
  start: number;
  end: number;
}

class Reader {
  constructor(
    readonly buf: Uint8Array,
    public pos: number,
    readonly end: number,
  ) {}

  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new OnnxFormatError(this.pos, 'truncated varint');
      const b = this.buf[this.pos++];
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
    throw new OnnxFormatError(this.pos, 'varint longer than 10 bytes');
  }

  /** The next field; undefined at the end of this message. */
  next(): Field | undefined {
    if (this.pos >= this.end) return undefined;
    const at = this.pos;
    const tag = this.varint();
    const no = Math.floor(tag / 8);
    const wire = tag & 7;
    if (no === 0) throw new OnnxFormatError(at, 'field number 0');
    const field: Field = { no, wire, value: 0, start: this.pos, end: this.pos };
    if (wire === 0) field.value = this.varint();
    else if (wire === 1) this.skip(8);
    else if (wire === 5) this.skip(4);
    else if (wire === 2) {
      const len = this.varint();
      field.start = this.pos;
      this.skip(len);
      field.end = this.pos;
    } else throw new OnnxFormatError(at, `unsupported wire type ${wire}`);
    return field;
  }

  skip(n: number): void {
    if (this.pos + n > this.end) throw new OnnxFormatError(this.pos, `field runs past the end (${n} bytes)`);
    this.pos += n;
  }
}

function* fields(buf: Uint8Array, start: number, end: number): Generator<Field> {
  const r = new Reader(buf, start, end);
  for (let f = r.next(); f; f = r.next()) yield f;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });
const text = (buf: Uint8Array, f: Field) => utf8.decode(buf.subarray(f.start, f.end));

function readDim(buf: Uint8Array, f: Field): number | string | undefined {
  for (const d of fields(buf, f.start, f.end)) {
    if (d.no === 1 && d.wire === 0) return d.value;
    if (d.no === 2 && d.wire === 2) return text(buf, d);
  }
  return undefined;
}

function readValueInfo(buf: Uint8Array, f: Field): OnnxValueInfo {
  const info: OnnxValueInfo = { name: '', elemType: 0, dims: [] };
  for (const v of fields(buf, f.start, f.end)) {
    if (v.no === 1 && v.wire === 2) info.name = text(buf, v);
    if (v.no !== 2 || v.wire !== 2) continue;
    // TypeProto.tensor_type (1) → elem_type (1), shape (2) → dim (1)*.
    for (const t of fields(buf, v.start, v.end)) {
      if (t.no !== 1 || t.wire !== 2) continue;
      for (const tt of fields(buf, t.start, t.end)) {
        if (tt.no === 1 && tt.wire === 0) info.elemType = tt.value;
        if (tt.no === 2 && tt.wire === 2) {
          for (const d of fields(buf, tt.start, tt.end)) if (d.no === 1 && d.wire === 2) info.dims.push(readDim(buf, d));
        }
      }
    }
  }
  return info;
}

/** An initializer's name and whether its data is external (TensorProto 8 name, 14 data_location). */
function readInitializer(buf: Uint8Array, f: Field): { name: string; external: boolean } {
  let name = '';
  let external = false;
  for (const x of fields(buf, f.start, f.end)) {
    if (x.no === 8 && x.wire === 2) name = text(buf, x);
    if (x.no === 14 && x.wire === 0 && x.value === 1) external = true;
  }
  return { name, external };
}

export function readOnnxInfo(bytes: Uint8Array): OnnxInfo {
  const info: OnnxInfo = { irVersion: 0, opsets: new Map(), inputs: [], outputs: [], externalData: false };
  let graph: Field | undefined;
  for (const f of fields(bytes, 0, bytes.length)) {
    if (f.no === 1 && f.wire === 0) info.irVersion = f.value;
    else if (f.no === 7 && f.wire === 2) graph = f;
    else if (f.no === 8 && f.wire === 2) {
      let domain = '';
      let version = 0;
      for (const o of fields(bytes, f.start, f.end)) {
        if (o.no === 1 && o.wire === 2) domain = text(bytes, o);
        if (o.no === 2 && o.wire === 0) version = o.value;
      }
      info.opsets.set(domain === 'ai.onnx' ? '' : domain, version);
    }
  }
  if (!graph) throw new OnnxFormatError(bytes.length, 'no graph (not an ONNX model)');
  const initializers = new Set<string>();
  const inputs: OnnxValueInfo[] = [];
  for (const g of fields(bytes, graph.start, graph.end)) {
    if (g.wire !== 2) continue;
    if (g.no === 11) inputs.push(readValueInfo(bytes, g));
    else if (g.no === 12) info.outputs.push(readValueInfo(bytes, g));
    else if (g.no === 5) {
      const init = readInitializer(bytes, g);
      initializers.add(init.name);
      if (init.external) info.externalData = true;
    }
  }
  // Before IR 4 every initializer was also listed as a graph input; those are not fed by the caller.
  info.inputs = inputs.filter((i) => !initializers.has(i.name));
  return info;
}
