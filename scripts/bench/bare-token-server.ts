// The benchmark's yardstick: a bare express route that only signs a LiveKit token, nothing else.
import express from 'express';
import { AccessToken } from 'livekit-server-sdk';

const app = express();
app.post('/token', async (_req, res) => {
  const token = new AccessToken('benchkey', 'bench-secret-long-enough-for-hs256-signing', { identity: 'someone', ttl: 600 });
  token.addGrant({ roomJoin: true, room: 'bench' });
  res.json({ token: await token.toJwt() });
});
const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => {
  process.stdout.write('ready\n');
});
process.on('SIGINT', () => server.close(() => process.exit(0)));
