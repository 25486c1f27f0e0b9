// The French catalogue is not part of the entry: it is fetched the first time an element speaks
// French, and the element waits for it, so its first frame is already French. This file's page
// imports the elements the way the CDN entry does (no src/index.ts, which carries French at once).
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/meeting-lobby/meeting-lobby.js';
import '../../src/components/meeting-room/meeting-room.js';
import type { MeetingRoom } from '../../src/components/meeting-room/meeting-room.component.js';
import { loadMessages, translate } from '../../src/i18n/translate.js';

/** Whether the page has fetched the French catalogue's module (served as its source here, as a chunk from the CDN). */
const frenchFetched = () => performance.getEntriesByType('resource').some((entry) => new URL(entry.name).pathname === '/src/i18n/fr.ts');

const heading = (room: MeetingRoom) => room.shadowRoot?.querySelector('meeting-lobby')?.shadowRoot?.querySelector('[part~="heading"]')?.textContent ?? null;

describe('catalogues other than English, on demand', () => {
  // Order matters: this test runs first on a page where nothing has asked for French yet.
  it('an English page never fetches the French catalogue', async () => {
    const room = await fixture<MeetingRoom>(html`<meeting-room meeting-id="m"></meeting-room>`);
    await room.shadowRoot?.querySelector('meeting-lobby')?.updateComplete;
    expect(heading(room)).to.equal('Ready to join?');
    expect(translate('fr', 'lobby.join'), 'French is not here before anything asks for it').to.equal('Join meeting');
    expect(frenchFetched()).to.equal(false);
  });

  it('renders French from its first frame, with no English frame before it', async () => {
    const seen: Array<string | null> = [];
    const lobby = document.createElement('meeting-lobby');
    lobby.lang = 'fr';
    lobby.meetingId = 'm';
    document.body.append(lobby);
    // Lit makes the shadow root on connection and renders into it a task later: watching it from
    // here on sees every frame the lobby ever shows.
    const watch = new MutationObserver(() => {
      seen.push(lobby.shadowRoot?.querySelector('[part~="heading"]')?.textContent ?? null);
    });
    watch.observe(lobby.shadowRoot!, { childList: true, subtree: true, characterData: true });
    try {
      await lobby.updateComplete;
      await Promise.resolve();
      expect(lobby.shadowRoot?.querySelector('[part~="heading"]')?.textContent).to.equal('Prêt à rejoindre ?');
      expect(seen.length, 'the frames seen').to.be.greaterThan(0);
      expect(seen.filter((text) => text !== 'Prêt à rejoindre ?'), 'any other heading on the way').to.deep.equal([]);
      expect(frenchFetched()).to.equal(true);
      expect(translate('fr', 'lobby.join'), 'and translate() speaks French from then on').to.equal('Rejoindre la réunion');
    } finally {
      watch.disconnect();
      lobby.remove();
    }
  });

  it('switches an element to French when its lang changes, once updateComplete resolves', async () => {
    const room = await fixture<MeetingRoom>(html`<meeting-room meeting-id="m"></meeting-room>`);
    await room.shadowRoot?.querySelector('meeting-lobby')?.updateComplete;
    expect(heading(room)).to.equal('Ready to join?');
    room.lang = 'fr-CA';
    room.requestUpdate();
    await room.updateComplete;
    const lobby = room.shadowRoot!.querySelector('meeting-lobby')!;
    lobby.requestUpdate();
    await lobby.updateComplete;
    expect(heading(room)).to.equal('Prêt à rejoindre ?');
  });

  it('loadMessages() resolves at once for English and for a language the widget does not ship', async () => {
    await loadMessages('en');
    await loadMessages('de-CH');
    expect(translate('de-CH', 'lobby.join')).to.equal('Join meeting');
  });
});
