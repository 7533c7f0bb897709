/**
 * onnxruntime's errors are English and name internals; a reviewer needs to know which file failed and,
 * when it says so, which operator the runtime lacks. The two texts recognised here are onnxruntime's own
 * (1.2x–1.3x): an op type no schema knows ("No Op registered for X with domain_version of N") and a known
 * op with no kernel in this build ("Could not find an implementation for X(N) node").
 */
import { msg, type Msg } from '../i18n/msg.ts';

const NO_SCHEMA = /No Op registered for ([\w.]+) with domain_version of (\d+)/;
const NO_KERNEL = /Could not find an implementation for ([\w.]+)\((\d+)\)/;

/** The translated message for a model that passed the folder checks but did not load or run. */
export function runtimeLoadMsg(file: string, error: unknown): Msg {
  const text = error instanceof Error ? error.message : String(error);
  const m = NO_SCHEMA.exec(text) ?? NO_KERNEL.exec(text);
  return m ? msg('modelRunOp', { file, op: m[1], opset: Number(m[2]) }) : msg('modelRunFailed', { file });
}
