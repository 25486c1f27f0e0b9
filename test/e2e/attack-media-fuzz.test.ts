// Attack (issue 12, the media server's fuzz test): malformed, truncated, oversized and random input
// from sockets that never authenticated and from participants that did, against the media server
// in its own process (as `npm run media-server` runs it). Two bystanders in a call must keep
// receiving each other's video throughout, and the server must still admit a newcomer at the end.
// The input is random but seeded: a failure replays the same way.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { Ping, SignalRequest, WrappedJoinRequest } from '@livekit/protocol';
import { AccessToken, RoomServiceClient } from 'livekit-server-sdk';
import { API_KEY, API_SECRET, bystanders, keepPlaying, startBrowserFor, startMediaProcess, type MediaHarness, type MediaProcess } from './media-page/harness.js';
import { Fuzzer, random, type MessageType } from './media-page/fuzz.js';
import { rawJoin, rtcUrl } from './media-page/raw-client.js';

function tcp(port: number): Promise<Socket> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      resolve(socket);
    });
    socket.on('error', () => undefined);
  });
}

/** Resolves when the server answered or hung up, whichever first (bounded). */
function settled(socket: Socket, ms = 2000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    const done = (): void => {
      clearTimeout(timer);
      resolve();
    };
    socket.once('data', done);
    socket.once('close', done);
  });
}

function upgrade(pathAndQuery: string, host: string, cut = false): string {
  const request = [`GET ${pathAndQuery} HTTP/1.1`, `Host: ${host}`, 'Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version: 13', '', ''].join('\r\n');
  return cut ? request.slice(0, request.length / 2) : request;
}

/** Every message case a client can put in a SignalRequest, with its message type. */
const REQUEST_CASES = (SignalRequest as unknown as MessageType<SignalRequest>).fields
  .list()
  .filter((f) => f.oneof?.localName === 'message')
  .map((f) => ({ name: f.localName, type: f.kind === 'message' ? (f.T as MessageType<unknown>) : undefined }));

/** A random request of any kind but `leave` (which ends the connection: it comes last, on purpose). */
function randomRequest(fuzz: Fuzzer): SignalRequest {
  const { name, type } = fuzz.pick(REQUEST_CASES.filter((c) => c.name !== 'leave'));
  const value = type ? fuzz.message(type) : BigInt(fuzz.int(2 ** 31));
  return new SignalRequest({ message: { case: name, value } as never });
}

describe('attack: fuzzing the media server', { timeout: 300_000 }, () => {
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

  function alive(): void {
    assert.ok(server);
    assert.equal(server.exitCode(), undefined, `the media server exited:\n${server.output()}`);
  }

  async function token(room: string, identity: string): Promise<string> {
    const at = new AccessToken(API_KEY, API_SECRET, { identity, ttl: 600 });
    at.addGrant({ roomJoin: true, room });
    return at.toJwt();
  }

  it('from unauthenticated sockets: random bytes, broken upgrades, garbage tokens and join requests, bad API calls', async () => {
    assert.ok(server && harness);
    const people = await bystanders(harness, 'fuzz-outside');
    const before = await people.frames();
    const fuzz = new Fuzzer(random(0x5eed1));
    const base = new URL(server.url);
    const port = Number(base.port);
    const http = `http://${base.host}`;
    const inputs = 240;
    // Sockets whose answer nobody checks (raw bytes, broken upgrades and request lines) stay open
    // until the server answers or hangs up, or for their bounded wait, while the next inputs go out:
    // awaited one by one, a cut-short upgrade (which the server can only wait on) cost 2 s each.
    const lingering: Array<Promise<void>> = [];
    for (let i = 0; i < inputs; i++) {
      switch (i % 8) {
        case 0: {
          const socket = await tcp(port);
          socket.write(fuzz.bytes(4096));
          // (drawn now rather than after the wait: nothing draws in between, so the inputs are the same)
          const reset = fuzz.next() < 0.5;
          lingering.push(
            settled(socket, 300).then(() => {
              if (reset) socket.resetAndDestroy();
              else socket.end();
            }),
          );
          break;
        }
        case 1:
        case 2: {
          // An upgrade with a garbage token and join request; sometimes cut short, sometimes reset.
          const socket = await tcp(port);
          const query = `/rtc/v1?access_token=${encodeURIComponent(fuzz.string(200))}&join_request=${fuzz.bytes(300).toString('base64url')}`;
          socket.write(upgrade(query, base.host, fuzz.next() < 0.3));
          if (fuzz.next() < 0.5) socket.resetAndDestroy();
          else
            lingering.push(
              settled(socket).then(() => {
                socket.destroy();
              }),
            );
          break;
        }
        case 3: {
          // A good token with a broken join request: random bytes, or a random wrapper (gzip flag on non-gzip bytes).
          const joinRequest = fuzz.next() < 0.5 ? fuzz.bytes(500).toString('base64url') : Buffer.from(fuzz.message(WrappedJoinRequest as unknown as MessageType<WrappedJoinRequest>).toBinary()).toString('base64url');
          await rawJoin(server.url, await token('fuzz-outside', `x-${String(i)}`), joinRequest).then(
            (client) => {
              client.close();
            },
            () => undefined,
          );
          break;
        }
        case 4: {
          const response = await fetch(rtcUrl(server.url, fuzz.string(100), fuzz.bytes(200).toString('base64url')).replace('ws://', 'http://').replace('/rtc/v1?', '/rtc/v1/validate?'));
          assert.ok(response.status === 400 || response.status === 401 || response.status === 403, `validate answered ${String(response.status)}`);
          await response.arrayBuffer();
          break;
        }
        case 5: {
          const method = fuzz.pick(['ListRooms', 'CreateRoom', 'DeleteRoom', 'RemoveParticipant', 'SendData', 'UpdateParticipant', fuzz.string(20)]);
          const response = await fetch(`${http}/twirp/livekit.RoomService/${encodeURIComponent(method)}`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${fuzz.ascii(120)}` },
            body: fuzz.next() < 0.5 ? fuzz.string(300) : new Uint8Array(fuzz.bytes(300)),
          });
          assert.ok(response.status >= 400 && response.status < 500, `twirp answered ${String(response.status)}`);
          await response.arrayBuffer();
          break;
        }
        case 6: {
          const response = await fetch(`${http}/debug`, { headers: { Authorization: `Bearer ${fuzz.ascii(80)}` } });
          assert.equal(response.status, 401);
          await response.arrayBuffer();
          break;
        }
        default: {
          // A request line or headers no HTTP parser should accept.
          const socket = await tcp(port);
          socket.write(`${fuzz.string(60)} /${fuzz.string(30)} HTTP/1.1\r\n${fuzz.string(200)}\r\n\r\n`);
          lingering.push(
            settled(socket, 500).then(() => {
              socket.destroy();
            }),
          );
        }
      }
      if (server.exitCode() !== undefined) break;
    }
    await Promise.all(lingering);
    alive();
    await keepPlaying(people, 15);
    alive();
    console.log(`unauthenticated inputs ${String(inputs)}; frames decoded by the two bystanders meanwhile: ${String((await people.frames()) - before)}`);
  });

  it('from joined participants: random frames, random and truncated requests of every kind, bad text, bad opcodes', async () => {
    assert.ok(server && harness);
    const people = await bystanders(harness, 'fuzz-inside');
    const before = await people.frames();
    const fuzz = new Fuzzer(random(0x5eed2));
    let inputs = 0;
    let cutOff = 0;
    for (let round = 0; round < 30; round++) {
      const attacker = await rawJoin(server.url, await token('fuzz-inside', `fuzzer-${String(round)}`));
      const socket = (attacker.ws as unknown as { _socket: Socket })._socket;
      // Under the signal rate limit, so that each request reaches its handler.
      for (let i = 0; i < 120; i++, inputs++) {
        const roll = fuzz.next();
        if (roll < 0.2) attacker.ws.send(fuzz.bytes(2048));
        else if (roll < 0.65) attacker.ws.send(randomRequest(fuzz).toBinary());
        else if (roll < 0.85) {
          const bytes = randomRequest(fuzz).toBinary();
          attacker.ws.send(bytes.subarray(0, fuzz.int(bytes.length)));
        } else attacker.ws.send(fuzz.next() < 0.5 ? fuzz.string(300) : randomRequest(fuzz).toJsonString().slice(0, fuzz.int(400)));
      }
      // The server has read all of it once it answers a ping sent after it.
      attacker.ws.send(new SignalRequest({ message: { case: 'pingReq', value: new Ping({ timestamp: 424242n }) } }).toBinary());
      await Promise.race([
        attacker.until(() => attacker.received.some((r) => r.message.case === 'pongResp' && r.message.value.lastPingTimestamp === 424242n), 'the last pong', 10_000),
        attacker.closed,
      ]).catch(() => undefined);
      if (attacker.ws.readyState !== attacker.ws.OPEN) cutOff++;
      // Then one way of ending that a well-behaved client never uses: bad UTF-8, a reserved opcode,
      // a message over the size limit, or a leave in the middle of everything.
      switch (round % 4) {
        case 0:
          attacker.ws.send(Buffer.from([0xc3, 0x28, 0xff]), { binary: false });
          break;
        case 1:
          socket.write(Buffer.from([0x80 | fuzz.pick([0x3, 0x5, 0x7, 0xb, 0xf]), 0x80, 9, 9, 9, 9]));
          break;
        case 2:
          attacker.ws.send(Buffer.alloc(1024 * 1024 + 1 + fuzz.int(1024)));
          break;
        default:
          attacker.ws.send(new SignalRequest({ message: { case: 'leave', value: fuzz.message(REQUEST_CASES.find((c) => c.name === 'leave')?.type as MessageType<never>) } }).toBinary());
      }
      inputs++;
      await attacker.closed;
      attacker.close();
      alive();
    }
    await keepPlaying(people, 15);
    alive();
    // A newcomer still gets in, and the server API still sees the bystanders.
    const newcomer = await rawJoin(server.url, await token('fuzz-inside', 'newcomer'));
    newcomer.close();
    const listed = await new RoomServiceClient(server.url.replace('ws', 'http'), API_KEY, API_SECRET).listParticipants('fuzz-inside');
    assert.ok(['bystander-a', 'bystander-b'].every((id) => listed.some((p) => p.identity === id)));
    console.log(`joined inputs ${String(inputs)} over 30 connections (${String(cutOff)} cut off by the server before their last ping); frames decoded by the two bystanders meanwhile: ${String((await people.frames()) - before)}`);
  });
});
