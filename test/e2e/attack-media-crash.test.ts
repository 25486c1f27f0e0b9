// Attack (issue 12, item 2): anyone who can reach the media server tries to end its process, as
// `npm run media-server` runs it: a WebSocket upgrade with a bogus token whose client resets the
// TCP connection, and a joined participant's frame with a reserved opcode. Two bystanders in a
// call must keep receiving each other's video, and the process must still be there.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { bystanders, keepPlaying, startBrowserFor, startMediaProcess, type MediaHarness, type MediaProcess } from './media-page/harness.js';
import { rawJoin, rtcUrl } from './media-page/raw-client.js';

function upgradeRequest(url: string): string {
  const target = new URL(url);
  return [
    `GET ${target.pathname}${target.search} HTTP/1.1`,
    `Host: ${target.host}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
    'Sec-WebSocket-Version: 13',
    '',
    '',
  ].join('\r\n');
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

describe('attack: crashing the media server', { timeout: 180_000 }, () => {
  let server: MediaProcess | undefined;
  let harness: Omit<MediaHarness, 'media'> | undefined;

  before(async () => {
    server = await startMediaProcess();
    harness = await startBrowserFor(server.url);
  });

  after(async () => {
    await harness?.close();
    await server?.stop();
  });

  async function alive(): Promise<void> {
    assert.ok(server);
    assert.equal(server.exitCode(), undefined, `the media server exited:\n${server.output()}`);
    const response = await fetch(`${server.url.replace('ws', 'http')}/`);
    assert.equal(response.status, 200);
  }

  it('survives bogus-token upgrades whose clients reset the connection, before and after the refusal', async () => {
    assert.ok(server && harness);
    const people = await bystanders(harness, 'crash-upgrade');
    const port = Number(new URL(server.url).port);
    const before = await people.frames();
    for (let i = 0; i < 20; i++) {
      const socket = await open(port);
      socket.on('error', () => undefined);
      socket.write(upgradeRequest(rtcUrl(server.url, `bogus.${String(i)}.token`)));
      if (i % 2 === 0) {
        // Reset while the server is still checking the token.
        socket.resetAndDestroy();
      } else {
        // Reset once the refusal came back (or the connection ended, which a crash also does).
        await new Promise<void>((resolve) => {
          socket.once('data', () => resolve());
          socket.once('close', () => resolve());
        });
        socket.resetAndDestroy();
      }
      if (server.exitCode() !== undefined) break;
    }
    await alive();
    await keepPlaying(people, 15);
    await alive();
    console.log(`frames decoded by the two bystanders during the attack: ${String((await people.frames()) - before)}`);
  });

  it('survives a joined participant sending a frame with a reserved opcode', async () => {
    assert.ok(server && harness);
    const people = await bystanders(harness, 'crash-opcode');
    const before = await people.frames();
    for (const opcode of [0x3, 0x4, 0xb]) {
      const attacker = await rawJoin(server.url, await harness.token('crash-opcode', `attacker-${String(opcode)}`));
      // FIN + a reserved opcode, masked (a client must mask), no payload.
      const socket = (attacker.ws as unknown as { _socket: Socket })._socket;
      socket.write(Buffer.from([0x80 | opcode, 0x80, 1, 2, 3, 4]));
      const { code } = await attacker.closed;
      await alive();
      assert.equal(code, 1002, 'the server closes the socket as a protocol error');
    }
    await keepPlaying(people, 15);
    await alive();
    console.log(`frames decoded by the two bystanders during the attack: ${String((await people.frames()) - before)}`);
  });
});
