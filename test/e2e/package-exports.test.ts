import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, { types: string; default: string } | string>;
  dependencies: Record<string, string>;
};

// Resolved at run time through package.json's exports map, against the built dist/ (which the
// type checker, running before the build, cannot see).
function importBuilt<T>(specifier: string): Promise<T> {
  return import(specifier) as Promise<T>;
}

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .map((entry) => join(entry.parentPath, entry.name));
}

function importSpecifiers(file: string): string[] {
  const code = readFileSync(file, 'utf8');
  return [...code.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (match) => match[1] ?? match[2] ?? '',
  );
}

/** Specifiers of `import … from`, `export … from` and bare `import '…'`: what loads with the module. */
function staticSpecifiers(file: string): string[] {
  const code = readFileSync(file, 'utf8');
  return [...code.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"();]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)].map((match) => match[1] ?? match[2] ?? '');
}

describe('npm package', () => {
  for (const entry of ['.', './core', './server']) {
    it(`ships JavaScript and type declarations for "${entry}"`, () => {
      const target = pkg.exports[entry];
      assert.ok(target && typeof target === 'object', `exports["${entry}"] is missing`);
      assert.ok(existsSync(join(root, target.default)), `${target.default} was not built`);
      assert.ok(existsSync(join(root, target.types)), `${target.types} was not built`);
    });
  }

  it('keeps meeting-widget/core free of Lit and of element registration', async () => {
    const files = jsFiles(join(root, 'dist/core'));
    assert.ok(files.length > 0);
    for (const file of files) {
      const code = readFileSync(file, 'utf8');
      for (const specifier of importSpecifiers(file)) {
        assert.ok(!/^(lit|@lit\/)/.test(specifier), `${file} imports ${specifier}`);
        assert.ok(!specifier.includes('components/'), `${file} imports ${specifier}`);
      }
      assert.ok(!code.includes('customElements'), `${file} touches customElements`);
    }
    // Node has no DOM: importing the core here proves it needs none.
    const core = await importBuilt<typeof import('../../src/core/index.js')>('meeting-widget/core');
    assert.equal(typeof core.computeGridLayout, 'function');
  });

  it('imports Lit and livekit-client as dependencies instead of bundling them', () => {
    const specifiers = jsFiles(join(root, 'dist/components')).flatMap(importSpecifiers);
    assert.ok(specifiers.includes('lit'), 'components should import lit');
    assert.ok(pkg.dependencies.lit && pkg.dependencies['livekit-client']);
    const code = jsFiles(join(root, 'dist/components')).map((file) => readFileSync(file, 'utf8')).join('\n');
    assert.ok(!code.includes('class ReactiveElement'), 'Lit itself was copied into dist/');
  });

  it('loads livekit-client on demand: one module imports it, and only a dynamic import reaches that module', () => {
    const files = ['dist/core', 'dist/components', 'dist/internal', 'dist/i18n'].flatMap((dir) => jsFiles(join(root, dir))).concat(join(root, 'dist/index.js'));
    const importers = files.filter((file) => staticSpecifiers(file).some((specifier) => /^livekit-client($|\/)/.test(specifier)));
    assert.deepEqual(importers.map((file) => file.slice(root.length)), ['dist/core/controller/livekit-parts.js']);
    for (const file of files) {
      assert.ok(!staticSpecifiers(file).some((specifier) => specifier.endsWith('livekit-parts.js')), `${file} loads livekit-client with itself`);
    }
    const loader = readFileSync(join(root, 'dist/core/controller/livekit.js'), 'utf8');
    assert.match(loader, /import\(['"]\.\/livekit-parts\.js['"]\)/);
  });

  it('ships the SQL migrations with the built server', async () => {
    const server = await importBuilt<typeof import('../../server/src/index.js')>('meeting-widget/server');
    assert.equal(server.MIGRATIONS_DIR, join(root, 'dist/node/server/migrations'));
    const built = server.readMigrations().map((m) => m.version);
    assert.ok(built.length >= 2);
    assert.deepEqual(built, readdirSync(join(root, 'server/migrations')).map((name) => name.replace(/\.sql$/, '')).sort());
  });

  it('serves the API from meeting-widget/server', async () => {
    const server = await importBuilt<typeof import('../../server/src/index.js')>('meeting-widget/server');
    const config = server.loadConfig({ LOG_LEVEL: 'silent', PGLITE_DIR: 'memory://' });
    const db = await server.openDatabase(config);
    const running = await server.listen(server.createApp(server.appDepsFromConfig(config, db)), 0, '127.0.0.1');
    try {
      const res = await fetch(`${running.url}/api/v1/healthz`);
      assert.deepEqual(await res.json(), { ok: true });
      const tables = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'meetings'`);
      assert.equal(tables.rows[0]?.n, 1, 'the built server applied its migrations');
    } finally {
      await running.close();
      await db.close();
    }
  });
});
