// `npm run media-server`: the embedded media server alone, with LiveKit's development defaults.
import { pino } from 'pino';
import { z } from 'zod';
import { startMediaServer } from './media-server.js';

const env = z
  .object({
    MEDIA_PORT: z.coerce.number().int().min(0).max(65535).default(7880),
    MEDIA_HOST: z.string().default('127.0.0.1'),
    LIVEKIT_API_KEY: z.string().min(1).default('devkey'),
    LIVEKIT_API_SECRET: z.string().min(1).default('secret'),
    // Participant updates are batched per room, so a join costs one message per participant
    // however many join at once: 100 people in a room is affordable (video for all is not: see docs).
    MEDIA_MAX_PARTICIPANTS: z.coerce.number().int().min(0).default(100),
    MEDIA_WEBHOOK_URL: z.url().optional(),
    // Where the Egress API writes recordings; unset, recording is not offered (as LiveKit without egress).
    RECORDINGS_DIR: z.string().min(1).optional(),
    // LiveKit's room.auto_create: off, a token only joins rooms made with CreateRoom.
    MEDIA_AUTO_CREATE_ROOMS: z
      .enum(['true', 'false', '1', '0'])
      .default('true')
      .transform((value) => value === 'true' || value === '1'),
  })
  .safeParse(process.env);

const log = pino({ name: 'media-server' });
if (!env.success) {
  log.error({ issues: env.error.issues }, 'invalid media server configuration');
  process.exit(1);
}
const config = env.data;
const server = await startMediaServer({
  apiKey: config.LIVEKIT_API_KEY,
  apiSecret: config.LIVEKIT_API_SECRET,
  port: config.MEDIA_PORT,
  host: config.MEDIA_HOST,
  maxParticipantsPerRoom: config.MEDIA_MAX_PARTICIPANTS,
  webhookUrl: config.MEDIA_WEBHOOK_URL,
  autoCreateRooms: config.MEDIA_AUTO_CREATE_ROOMS,
  recordingsDir: config.RECORDINGS_DIR,
  log: (line) => {
    log.info(line);
  },
});
log.info(`embedded media server listening on ${server.url} (development use; production uses LiveKit)`);

async function stop(): Promise<void> {
  await server.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
