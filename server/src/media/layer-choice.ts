// Which simulcast layer a viewer gets. A viewer that says how large it shows the video
// (UpdateTrackSettings width/height, as livekit-client's adaptive stream does) gets the smallest
// layer that covers that size, so a small tile costs a small stream; one that names a quality
// instead gets that layer or the nearest below it; one that says nothing gets the best. Only layers
// that are arriving are chosen from: a publisher's encoder drops layers when it is short of bandwidth.
import { VideoQuality, type VideoLayer } from '@livekit/protocol';

/** What a viewer asked for; width and height 0 mean "by quality". */
export interface LayerWish {
  width: number;
  height: number;
  quality: VideoQuality;
}

export const BEST_LAYER: LayerWish = { width: 0, height: 0, quality: VideoQuality.HIGH };

/** livekit-client and the Rust SDK name simulcast layers q, h, f from the lowest; no rid is a single layer. */
const QUALITY_OF_RID: Record<string, VideoQuality> = { q: VideoQuality.LOW, h: VideoQuality.MEDIUM, f: VideoQuality.HIGH, '': VideoQuality.HIGH };

export function qualityOfRid(rid: string): VideoQuality {
  return QUALITY_OF_RID[rid] ?? VideoQuality.HIGH;
}

/**
 * The rid to send a viewer who wishes `wish`, among `rids` (the layers arriving), using the
 * dimensions the publisher announced for each quality in `layers`; undefined when none arrives.
 */
export function chooseLayer(rids: readonly string[], layers: readonly VideoLayer[], wish: LayerWish): string | undefined {
  if (rids.length === 0) return undefined;
  const ordered = [...rids].sort((a, b) => qualityOfRid(a) - qualityOfRid(b));
  if (wish.width > 0 || wish.height > 0) {
    for (const rid of ordered) {
      const size = layers.find((l) => l.quality === qualityOfRid(rid));
      if (size && size.width >= wish.width && size.height >= wish.height) return rid;
    }
    return ordered.at(-1);
  }
  const atOrBelow = ordered.filter((rid) => qualityOfRid(rid) <= wish.quality);
  return atOrBelow.at(-1) ?? ordered[0];
}
