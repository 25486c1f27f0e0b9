// The server reads its SQL migrations at start-up: ship them beside the compiled server, where
// they sit in the sources (dist/node mirrors the repository: server/src, server/migrations and the
// wire contract in src/contract).
import { cpSync } from 'node:fs';
cpSync(new URL('../server/migrations', import.meta.url), new URL('../dist/node/server/migrations', import.meta.url), { recursive: true });
