/** The origin private file system root, where models brought from disk are stored; undefined where the browser has none. */
import type { DirLike } from '../storage';

export type OpfsRoot = () => Promise<DirLike> | undefined;

export const opfsRoot: OpfsRoot = () => {
  const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
  if (!storage || typeof storage.getDirectory !== 'function') return undefined;
  return storage.getDirectory() as unknown as Promise<DirLike>;
};
