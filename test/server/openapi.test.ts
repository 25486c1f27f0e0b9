import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import { createApp } from '../../server/src/app.js';
import { openApiDocument } from '../../server/src/http/openapi.js';
import { ROUTES } from '../../src/contract/routes.js';
import { startApp, type TestApp } from '../support/app.js';

type Doc = { openapi: string; paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>> };

/** Routes outside /api/v1, which the API document does not describe. */
const OUTSIDE_THE_API = ['GET /metrics'];

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: string;
}

/** Every route express would serve, as "METHOD /path", walking mounted routers. */
function registeredRoutes(app: Express): string[] {
  const found: string[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') found.push(`${method.toUpperCase()} ${prefix}${layer.route.path}`);
      } else if (Array.isArray(layer.handle?.stack)) {
        walk(layer.handle.stack, prefix + (layer.rawPath ?? ''));
      }
    }
  };
  walk((app.router as unknown as { stack: Layer[] }).stack, '');
  return found;
}

/** Registered routes the document does not describe, and documented routes nobody serves. */
function mismatches(app: Express): { undocumented: string[]; unserved: string[] } {
  const doc = openApiDocument() as Doc;
  const documented = new Set(Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} /api/v1${path.replace(/\{(\w+)\}/g, ':$1')}`)));
  const registered = registeredRoutes(app);
  return {
    undocumented: registered.filter((route) => !documented.has(route) && !OUTSIDE_THE_API.includes(route)),
    unserved: [...documented].filter((route) => !registered.includes(route)),
  };
}

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

  it('describes every route the app registers, and only those', () => {
    // Dev mode on, so its optional routes are registered too.
    const { undocumented, unserved } = mismatches(createApp(app.deps));
    assert.deepEqual(undocumented, [], 'routes served but missing from src/contract/routes.ts (and so from the document)');
    assert.deepEqual(unserved, [], 'routes in the document that the app does not serve');
    assert.ok(Object.keys(ROUTES).length >= 37, 'the table holds the whole API');
  });

  it('would catch a route registered outside the contract', () => {
    const extra = createApp(app.deps);
    extra.get('/api/v1/not-in-the-contract', (_req, res) => {
      res.end();
    });
    assert.deepEqual(mismatches(extra).undocumented, ['GET /api/v1/not-in-the-contract']);
  });

  it('documents request bodies as the server validates them, and answers by named objects', () => {
    const doc = openApiDocument() as Doc & { components: { schemas: Record<string, { properties?: Record<string, unknown> }> } };
    const create = doc.paths['/meetings']?.post?.requestBody as { content: { 'application/json': { schema: { properties: Record<string, unknown>; additionalProperties?: unknown } } } };
    assert.deepEqual(Object.keys(create.content['application/json'].schema.properties).sort(), ['policy', 'title']);
    assert.equal(create.content['application/json'].schema.additionalProperties, false);
    const join = doc.paths['/meetings/{id}/join']?.post?.responses as Record<string, { content?: { 'application/json': { schema: unknown } } }>;
    assert.deepEqual(join['200']?.content?.['application/json'].schema, { $ref: '#/components/schemas/Admission' });
    assert.deepEqual(join['202']?.content?.['application/json'].schema, { $ref: '#/components/schemas/Waiting' });
    assert.deepEqual(doc.components.schemas.Meeting?.properties?.policy, { $ref: '#/components/schemas/Policy' });
  });
});
