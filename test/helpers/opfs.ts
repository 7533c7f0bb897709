/**
 * An in-memory stand-in for the origin private file system (FileSystemDirectoryHandle), with the methods
 * storage/models.ts uses. Writes land only on close(), as with a real writable stream; `failWrites` makes
 * the n-th write throw (a full disk), to test that a failed store leaves nothing behind.
 */
import type { DirLike, FileHandleLike, WritableLike } from '../../src/lib/storage/models.ts';

export class MemDir implements DirLike {
  dirs = new Map<string, MemDir>();
  files = new Map<string, Uint8Array>();
  /** Shared by a whole tree: writes left before one fails (undefined: never). */
  constructor(readonly budget: { writesLeft?: number } = {}) {}

  async getDirectoryHandle(name: string, options?: { create?: boolean }): Promise<DirLike> {
    let d = this.dirs.get(name);
    if (!d) {
      if (!options?.create) throw new DOMException(`no directory ${name}`, 'NotFoundError');
      d = new MemDir(this.budget);
      this.dirs.set(name, d);
    }
    return d;
  }

  async getFileHandle(name: string, options?: { create?: boolean }): Promise<FileHandleLike> {
    if (!this.files.has(name)) {
      if (!options?.create) throw new DOMException(`no file ${name}`, 'NotFoundError');
      this.files.set(name, new Uint8Array());
    }
    return {
      getFile: async () => new Blob([this.files.get(name)! as Uint8Array<ArrayBuffer>]),
      createWritable: async (): Promise<WritableLike> => {
        const parts: Uint8Array[] = [];
        return {
          write: async (data) => {
            if (this.budget.writesLeft !== undefined && this.budget.writesLeft-- <= 0) {
              throw new DOMException('quota', 'QuotaExceededError');
            }
            parts.push(typeof data === 'string' ? new TextEncoder().encode(data) : new Uint8Array(data));
          },
          close: async () => {
            const size = parts.reduce((s, p) => s + p.length, 0);
            const out = new Uint8Array(size);
            let at = 0;
            for (const p of parts) {
              out.set(p, at);
              at += p.length;
            }
            this.files.set(name, out);
          },
        };
      },
    };
  }

  async removeEntry(name: string, options?: { recursive?: boolean }): Promise<void> {
    if (this.files.delete(name)) return;
    const d = this.dirs.get(name);
    if (!d) throw new DOMException(`no entry ${name}`, 'NotFoundError');
    if (!options?.recursive && (d.dirs.size || d.files.size)) throw new DOMException('not empty', 'InvalidModificationError');
    this.dirs.delete(name);
  }

  async *keys(): AsyncIterable<string> {
    for (const k of [...this.dirs.keys(), ...this.files.keys()]) yield k;
  }

  /** Every file path under this directory (for "nothing stored" checks). */
  paths(prefix = ''): string[] {
    return [
      ...[...this.files.keys()].map((f) => prefix + f),
      ...[...this.dirs].flatMap(([name, d]) => [`${prefix}${name}/`, ...d.paths(`${prefix}${name}/`)]),
    ];
  }
}
