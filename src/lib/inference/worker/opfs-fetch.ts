/**
 * The worker's fetch for transformers.js: paths under OPFS_URL_PREFIX are read from the origin private
 * file system (models brought from disk, storage/models.ts), anything else goes to the normal fetch
 * (the bundled model on our own origin). Read only: the worker never stores.
 */
import { OPFS_MODELS_DIR, OPFS_URL_PREFIX } from '../model-paths';

type Fetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** `/opfs-models/<sha256>/onnx/model.onnx` → ['<sha256>', 'onnx', 'model.onnx'], or undefined for other paths. */
export function opfsParts(input: string | URL): string[] | undefined {
  const path = typeof input === 'string' ? input.replace(/^[a-z]+:\/\/[^/]+/i, '') : input.pathname;
  if (!path.startsWith(OPFS_URL_PREFIX)) return undefined;
  const parts = path.slice(OPFS_URL_PREFIX.length).split('/').filter(Boolean);
  return parts.some((p) => p === '..' || p === '.') ? undefined : parts;
}

export function opfsFetch(fallback: Fetch): Fetch {
  return async (input, init) => {
    const parts = opfsParts(input);
    if (!parts) return fallback(input, init);
    try {
      let dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(OPFS_MODELS_DIR);
      for (const p of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(p);
      const file = await (await dir.getFileHandle(parts[parts.length - 1])).getFile();
      return new Response(file, { status: 200, headers: { 'content-length': String(file.size) } });
    } catch {
      // transformers.js treats 404 as "not there" (an optional file) and names the path in its error.
      return new Response(null, { status: 404 });
    }
  };
}
