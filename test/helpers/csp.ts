/**
 * The rules our Content-Security-Policy must keep, as a checker shared by the unit test (the policy declared in
 * vite.config.ts) and the e2e test (the policy the built app is actually served with, header and <meta>).
 * Returns the broken rules; empty means strict.
 */
export function parseCsp(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (!name) continue;
    if (directives.has(name.toLowerCase())) continue; // browsers ignore a repeated directive
    directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

/** Sources allowed per directive: only our own origin and the few keywords/schemes the app needs. */
const ALLOWED: Record<string, readonly string[]> = {
  'default-src': ["'self'", "'none'"],
  // 'wasm-unsafe-eval' compiles onnxruntime's WebAssembly; it does not allow eval() or new Function().
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  // blob: for the worker threads emscripten starts for multi-threaded WASM.
  'worker-src': ["'self'", 'blob:'],
  'connect-src': ["'self'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  // Svelte's scoped styles and style attributes; styles cannot run code.
  'style-src': ["'self'", "'unsafe-inline'"],
  'font-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'", "'none'"],
  'form-action': ["'self'", "'none'"],
  'frame-ancestors': ["'none'"],
  'manifest-src': ["'self'"],
};

export function cspProblems(policy: string, options: { meta?: boolean } = {}): string[] {
  const d = parseCsp(policy);
  const problems: string[] = [];
  for (const [name, sources] of d) {
    const allowed = ALLOWED[name];
    if (!allowed) {
      problems.push(`unexpected directive ${name}`);
      continue;
    }
    for (const s of sources) if (!allowed.includes(s)) problems.push(`${name} allows ${s}`);
  }
  const required: [string, string[]][] = [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'"]],
    ['connect-src', ["'self'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'self'"]],
    ['form-action', ["'self'"]],
    // frame-ancestors is ignored in <meta>, so only the header must carry it.
    ...(options.meta ? [] : ([['frame-ancestors', ["'none'"]]] as [string, string[]][])),
  ];
  for (const [name, sources] of required) {
    const have = d.get(name);
    if (!have) problems.push(`missing ${name}`);
    else if (sources.some((s) => !have.includes(s))) problems.push(`${name} must be ${sources.join(' ')}`);
  }
  if (options.meta && d.has('frame-ancestors')) problems.push('frame-ancestors in <meta> is ignored and logs an error');
  return problems;
}
