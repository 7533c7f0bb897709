/**
 * The default model's files on our own origin. After the first successful load they are put in
 * the service worker's runtime cache, so an offline reload can score even when the first load
 * happened before the service worker took control of the page.
 */
export const MODEL_PATH = '/models/xinan-safety-zh';
export const MODEL_CACHE = 'xinan-models';
export const MODEL_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx'];
export const MODEL_WEIGHTS = 'onnx/model_quantized.onnx';

function url(path: string, file: string): string {
  return new URL(`${path}/${file}`, location.origin).href;
}

/** Reads a model file from the cache when there, else from the server (and caches it). */
async function fetchCached(href: string): Promise<ArrayBuffer> {
  const cache = typeof caches === 'undefined' ? undefined : await caches.open(MODEL_CACHE);
  const hit = await cache?.match(href);
  if (hit) return hit.arrayBuffer();
  const res = await fetch(href);
  if (!res.ok) throw new Error(`${href}: HTTP ${res.status}`);
  // A failed put (a full disk) only costs offline use: it must not stop the model from loading and scoring.
  await cache?.put(href, res.clone()).catch(() => undefined);
  return res.arrayBuffer();
}

/** A JSON file of a model folder (e.g. card.json), cached like the model's other files. */
export async function readModelJson<T>(path: string, file: string): Promise<T> {
  return JSON.parse(new TextDecoder().decode(await fetchCached(url(path, file)))) as T;
}

/** Hex SHA-256 of the model's weights file, computed here so exports say exactly what scored them. */
export async function modelSha256(path = MODEL_PATH): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await fetchCached(url(path, MODEL_WEIGHTS)));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Makes sure every model file is in the runtime cache (a failed put only costs offline use). */
export async function cacheModelFiles(path = MODEL_PATH): Promise<void> {
  if (typeof caches === 'undefined') return;
  const cache = await caches.open(MODEL_CACHE);
  await Promise.all(
    MODEL_FILES.map(async (f) => {
      const href = url(path, f);
      if (!(await cache.match(href))) await cache.add(href);
    }),
  );
}

/** True when the model folder says its weights are a placeholder (random / preliminary): its scores mean nothing. */
export async function isPlaceholderModel(path = MODEL_PATH): Promise<boolean> {
  const config = JSON.parse(new TextDecoder().decode(await fetchCached(url(path, 'config.json')))) as { xinan?: { note?: unknown } };
  const note = config.xinan?.note;
  return typeof note === 'string' && /random|preliminary|not for use/i.test(note);
}

/** Which model scores are stored under: the folder name plus the weights' hash, so new weights rescore. */
export interface ModelIdentity {
  modelId: string;
  sha256: string;
  /** Key the scores are stored under. */
  storageId: string;
  /** The model card marks these weights as a placeholder: the UI warns that scores mean nothing. */
  placeholder: boolean;
}

export async function modelIdentity(path = MODEL_PATH): Promise<ModelIdentity> {
  const [sha256, placeholder] = await Promise.all([modelSha256(path), isPlaceholderModel(path)]);
  const modelId = path.slice(path.lastIndexOf('/') + 1);
  return { modelId, sha256, storageId: `${modelId}@${sha256.slice(0, 16)}`, placeholder };
}
