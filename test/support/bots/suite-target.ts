// The media target of one node:test suite: started before its tests, closed after them with
// rtc-node's runtime. Hooks registered earlier in the suite run first, so a suite that keeps bots
// registers their leaving before calling this.
import { after, before } from 'node:test';
import { dispose } from '@livekit/rtc-node';
import type { MediaServerOptions } from '../../../server/src/media/media-server.js';
import { startMediaTarget, type MediaTarget } from './media-target.js';

/** Registers the suite's hooks; the returned function gives the running target inside a test. */
export function suiteMediaTarget(options: Partial<MediaServerOptions> = {}): () => MediaTarget {
  let target: MediaTarget | undefined;
  before(async () => {
    target = await startMediaTarget(options);
  });
  after(async () => {
    await dispose();
    await target?.close();
  });
  return () => {
    if (!target) throw new Error('the media target did not start (see the suite\'s before hook)');
    return target;
  };
}
