// A chat page that shows meeting cards and no call, in French: the card fetches its own strings
// (card and error texts), not the whole catalogue, and renders French from its first frame. Its own
// page (this file), where nothing else has asked for French.
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/meeting-card/meeting-card.js';
import '../../src/components/meeting-lobby/meeting-lobby.js';
import type { MeetingCardElement } from '../../src/components/meeting-card/meeting-card.component.js';
import type { MeetingLobby } from '../../src/components/meeting-lobby/meeting-lobby.component.js';
import { translate } from '../../src/i18n/translate.js';

/** The i18n modules this page has fetched (served as their sources here, as chunks from the CDN). */
const fetched = () =>
  performance
    .getEntriesByType('resource')
    .map((entry) => new URL(entry.name).pathname)
    .filter((path) => path.startsWith('/src/i18n/fr'));

describe('the card speaks French with its own strings only', () => {
  it('fetches fr-card, not fr, and renders the French loading text', async () => {
    const card = await fixture<MeetingCardElement>(html`<meeting-card lang="fr" meeting-id="m"></meeting-card>`);
    await card.updateComplete;
    expect(card.shadowRoot?.querySelector('[part~="message"]')?.textContent).to.equal('Chargement de la réunion…');
    expect(fetched()).to.include('/src/i18n/fr-card.ts');
    expect(fetched()).not.to.include('/src/i18n/fr.ts');
    // Its error texts came with it; the call's strings did not.
    expect(translate('fr', 'error.NOT_FOUND')).not.to.equal(translate('en', 'error.NOT_FOUND'));
    expect(translate('fr', 'lobby.join')).to.equal('Join meeting');
  });

  it('an element that needs the whole catalogue fetches it then, and speaks French', async () => {
    const lobby = await fixture<MeetingLobby>(html`<meeting-lobby lang="fr" meeting-id="m"></meeting-lobby>`);
    await lobby.updateComplete;
    expect(lobby.shadowRoot?.querySelector('[part~="heading"]')?.textContent).to.equal('Prêt à rejoindre ?');
    expect(fetched()).to.include('/src/i18n/fr.ts');
    expect(translate('fr', 'lobby.join')).to.equal('Rejoindre la réunion');
  });
});
