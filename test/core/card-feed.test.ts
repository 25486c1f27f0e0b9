// The card feed on its own (no DOM, no element), against the real token server: past the hundred
// meetings one stream may follow, it opens a second stream and no more; every subscriber gets its
// card; a second subscriber of a meeting gets the card at once from what the feed already knows;
// unsubscribing everyone closes every stream, and the page's feed for that server is let go.
import { expect } from '@open-wc/testing';
import { CardFeed, MAX_MEETINGS_PER_STREAM, cardFeedFor, type CardUpdate } from '../../src/core/cards/card-feed.js';
import { createMeeting, signIn, startStack, stopStack, type Stack } from '../support/meeting-stack.js';
import { devToken, until } from '../support/room-driver.js';

describe('card feed', function () {
  this.timeout(120000);
  let stack: Stack;

  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    await stopStack();
  });

  it('follows 101 meetings on two streams, shares what it knows, and closes both when the last subscriber leaves', async () => {
    const hostApi = await signIn(stack, 'Mona');
    const token = await devToken(stack, 'Mona');
    const auth = () => Promise.resolve(token);
    const ids = await Promise.all(Array.from({ length: MAX_MEETINGS_PER_STREAM + 1 }, () => createMeeting(hostApi)));
    const fetches: Array<{ ids: number; signal: AbortSignal | null | undefined }> = [];
    const countingFetch: typeof fetch = (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      fetches.push({ ids: (new URL(url).searchParams.get('meetings') ?? '').split(',').length, signal: init?.signal });
      return fetch(input, init);
    };
    const feed = new CardFeed(stack.apiUrl, { fetch: countingFetch });
    const seen = new Map<string, CardUpdate>();
    const unsubscribes = ids.map((id) => feed.subscribe(id, (update) => seen.set(id, update), auth));
    await until('every card', () => seen.size === ids.length && [...seen.values()].every((u) => u.kind === 'card'), 20000);
    expect(fetches.map((f) => f.ids).sort((a, b) => a - b)).to.deep.equal([1, MAX_MEETINGS_PER_STREAM]);
    expect(feed.openStreams).to.equal(2);

    // A second subscriber of a known meeting hears at once, without a new stream (the set is unchanged).
    let late: CardUpdate | undefined;
    const unsubscribeLate = feed.subscribe(ids[0]!, (update) => (late = update), auth);
    expect(late?.kind).to.equal('card');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(fetches).to.have.length(2);

    unsubscribeLate();
    unsubscribes.forEach((unsubscribe) => unsubscribe());
    await until('both streams closed', () => feed.openStreams === 0 && fetches.every((f) => f.signal?.aborted === true), 2000);
    feed.close();
  });

  it('the page shares one feed per server, and lets it go once its last card has left', async () => {
    const hostApi = await signIn(stack, 'Nils');
    const token = await devToken(stack, 'Nils');
    const id = await createMeeting(hostApi);
    const feed = cardFeedFor(stack.apiUrl);
    expect(cardFeedFor(`${stack.apiUrl}/`)).to.equal(feed);
    let update: CardUpdate | undefined;
    const unsubscribe = feed.subscribe(id, (u) => (update = u), () => Promise.resolve(token));
    await until('the card', () => update?.kind === 'card', 10000);
    unsubscribe();
    await until('the stream closed', () => feed.openStreams === 0, 2000);
    expect(cardFeedFor(stack.apiUrl)).to.not.equal(feed);
  });
});
