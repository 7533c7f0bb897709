/** The app's Content-Security-Policy (vite.config.ts: the server/preview header and the <meta> in index.html) stays strict. */
import { describe, expect, it } from 'vitest';
import { CSP, CSP_META, SECURITY_HEADERS } from '../../../vite.config.ts';
import { cspProblems, parseCsp } from '../../helpers/csp.ts';

describe('Content-Security-Policy', () => {
  it('the header the dev and preview servers send is strict', () => {
    expect(SECURITY_HEADERS['Content-Security-Policy']).toBe(CSP);
    expect(cspProblems(CSP)).toEqual([]);
  });

  it('the <meta> policy is the same, less frame-ancestors (ignored in <meta>)', () => {
    expect(cspProblems(CSP_META, { meta: true })).toEqual([]);
    const header = parseCsp(CSP);
    header.delete('frame-ancestors');
    expect(parseCsp(CSP_META)).toEqual(header);
  });

  it('scripts: our own files and WebAssembly compilation only', () => {
    expect(parseCsp(CSP).get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(CSP).not.toMatch(/'unsafe-eval'|'strict-dynamic'|'unsafe-hashes'|nonce-|sha(256|384|512)-/);
    expect(CSP).not.toMatch(/https?:|wss?:|\*/);
  });

  it('the checker fails on what must never come in', () => {
    const bad = (extra: string) => cspProblems(CSP.replace("script-src 'self'", `script-src 'self' ${extra}`));
    expect(bad("'unsafe-inline'")).toEqual(["script-src allows 'unsafe-inline'"]);
    expect(bad("'unsafe-eval'")).toEqual(["script-src allows 'unsafe-eval'"]);
    expect(bad('https://cdn.example.com')).toEqual(['script-src allows https://cdn.example.com']);
    expect(cspProblems(CSP.replace("connect-src 'self'", "connect-src 'self' https://api.example.com"))).toEqual([
      'connect-src allows https://api.example.com',
    ]);
    expect(cspProblems(CSP.replace("connect-src 'self'; ", ''))).toEqual(['missing connect-src']);
    expect(cspProblems(CSP.replace("object-src 'none'", 'object-src *'))).toContain('object-src allows *');
    expect(cspProblems(CSP.replace("frame-ancestors 'none'", ''))).toContain('missing frame-ancestors');
  });

  it('the HTML report forbids everything but inline styles', async () => {
    const { exportHtmlReport } = await import('../../../src/lib/transcripts/export/html.ts');
    const html = exportHtmlReport([], { modelId: 'm', modelSha256: 's', appVersion: 'v' }, { datasetName: 'd', exportedAt: 't' });
    const policy = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    expect(parseCsp(policy ?? '')).toEqual(
      new Map([
        ['default-src', ["'none'"]],
        ['style-src', ["'unsafe-inline'"]],
      ]),
    );
  });
});
