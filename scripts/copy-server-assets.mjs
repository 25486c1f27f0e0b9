// The server reads its SQL migrations at start-up: ship them beside the compiled server.
import { cpSync } from 'node:fs';
cpSync(new URL('../server/migrations', import.meta.url), new URL('../dist/server/migrations', import.meta.url), { recursive: true });
