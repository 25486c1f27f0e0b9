import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { openApiDocument } from '../../server/src/http/openapi.js';
import { startApp, type TestApp } from '../support/app.js';

type Doc = { openapi: string; paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>> };

describe('OpenAPI document', () => {
  let app: TestApp;
  before(async () => {
    app = await startApp({ MEETING_DEV_MODE: '1' });
  });
  after(async () => {
    await app.close();
  });

  it('is served, and the committed docs/openapi.json is current (run `npm run openapi` after changing the API)', async () => {
    const served = (await (await fetch(`${app.url}/api/v1/openapi.json`)).json()) as Doc;
    const committed = JSON.parse(readFileSync(fileURLToPath(new URL('../../docs/openapi.json', import.meta.url)), 'utf8')) as Doc;
    assert.deepEqual(served, openApiDocument());
    assert.deepEqual(committed, served, 'docs/openapi.json is stale: run `npm run openapi`');
    assert.equal(served.openapi, '3.1.0');
  });

  it('describes only routes that exist, with the request bodies the server validates', async () => {
    const doc = openApiDocument() as Doc;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const method of Object.keys(methods)) {
        if (path.endsWith('/events')) continue; // a stream: checked by its own suite
        const concrete = path.replace('{identity}', 'u_someone').replace(/\{\w+\}/g, randomUUID());
        const res = await fetch(`${app.url}/api/v1${concrete}`, { method: method.toUpperCase(), ...(method === 'get' || method === 'delete' ? {} : { headers: { 'content-type': 'application/json' }, body: '{}' }) });
        const body = (await res.json().catch(() => null)) as { error?: { code?: string } } | null;
        assert.notEqual(body?.error?.code, 'NOT_FOUND', `${method.toUpperCase()} ${path} is documented but not served`);
      }
    }
    const create = doc.paths['/meetings']?.post?.requestBody as { content: { 'application/json': { schema: { properties: Record<string, unknown>; additionalProperties?: unknown } } } };
    assert.deepEqual(Object.keys(create.content['application/json'].schema.properties).sort(), ['policy', 'title']);
    assert.equal(create.content['application/json'].schema.additionalProperties, false);
  });
});
