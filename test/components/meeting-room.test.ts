import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/components/meeting-room/meeting-room.js';
import { MeetingRoom, MAX_DISPLAY_NAME_LENGTH } from '../../src/components/meeting-room/meeting-room.component.js';
import { defineElement } from '../../src/internal/define.js';
import { registerMessages } from '../../src/i18n/translate.js';

/** A part of the room, or of the `<meeting-lobby>` inside it (which exports its parts). */
function part(el: MeetingRoom, name: string): HTMLElement {
  const lobby = el.shadowRoot?.querySelector('meeting-lobby');
  const found = el.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`) ?? lobby?.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`);
  if (!found) throw new Error(`part ${name} not rendered`);
  return found;
}

const nameInput = (el: MeetingRoom) => part(el, 'name-input') as HTMLInputElement;
const joinButton = (el: MeetingRoom) => part(el, 'join-button') as HTMLButtonElement;

async function typeName(el: MeetingRoom, value: string): Promise<void> {
  const input = nameInput(el);
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  await el.updateComplete;
  await el.shadowRoot?.querySelector('meeting-lobby')?.updateComplete;
}

describe('<meeting-room>', () => {
  it('is registered as a MeetingRoom', () => {
    expect(customElements.get('meeting-room')).to.equal(MeetingRoom);
    expect(document.createElement('meeting-room')).to.be.instanceOf(MeetingRoom);
  });

  it('renders the lobby shell for a meeting', async () => {
    const el = await fixture<MeetingRoom>(html`<meeting-room meeting-id="weekly-sync"></meeting-room>`);
    expect(part(el, 'heading').textContent).to.equal('Ready to join?');
    expect(part(el, 'meeting-id').textContent).to.contain('weekly-sync');
    expect(joinButton(el).disabled).to.equal(false);
    expect(nameInput(el).maxLength).to.equal(MAX_DISPLAY_NAME_LENGTH);
  });

  it('passes an accessibility audit', async () => {
    const el = await fixture<MeetingRoom>(html`<meeting-room meeting-id="m1"></meeting-room>`);
    await expect(el).to.be.accessible();
  });

  it('passes an accessibility audit in the dark theme and with an error shown', async () => {
    const el = await fixture<MeetingRoom>(html`<meeting-room meeting-id="m1" theme="dark"></meeting-room>`);
    joinButton(el).click();
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });

  it('reflects its properties to attributes', async () => {
    const el = await fixture<MeetingRoom>(html`<meeting-room></meeting-room>`);
    el.meetingId = 'abc';
    el.server = 'https://meet.example.com';
    el.theme = 'dark';
    await el.updateComplete;
    expect(el.getAttribute('meeting-id')).to.equal('abc');
    expect(el.getAttribute('server')).to.equal('https://meet.example.com');
    expect(el.getAttribute('theme')).to.equal('dark');
  });

  it('falls back to the auto theme, with a warning, for an unknown theme', async () => {
    const warnings: unknown[][] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      const el = await fixture<MeetingRoom>(html`<meeting-room theme="neon"></meeting-room>`);
      await el.updateComplete;
      expect(el.theme).to.equal('auto');
      expect(el.getAttribute('theme')).to.equal('auto');
      expect(String(warnings[0]?.[0])).to.contain('neon');
    } finally {
      console.warn = original;
    }
  });

  it('prefills the name from display-name', async () => {
    const el = await fixture<MeetingRoom>(html`<meeting-room meeting-id="m" display-name="Ada Lovelace"></meeting-room>`);
    expect(nameInput(el).value).to.equal('Ada Lovelace');
  });

  it('asks to join with the trimmed name when the user submits', async () => {
    const el = await fixture<MeetingRoom>(html`<meeting-room meeting-id="m-42"></meeting-room>`);
    await typeName(el, '  Grace Hopper ');
    const heard = oneEvent(document, 'meeting-join-request');
    joinButton(el).click();
    const event = (await heard) as CustomEvent<{ meetingId: string; displayName: string }>;
    expect(event.detail).to.deep.equal({ meetingId: 'm-42', displayName: 'Grace Hopper' });
    expect(event.bubbles).to.equal(true);
    expect(event.composed).to.equal(true);
    expect(event.cancelable).to.equal(true);
  });

  it('does not ask to join without a name, and says why', async () => {
    const el = await fixture<MeetingRoom>(html`<meeting-room meeting-id="m"></meeting-room>`);
    let fired = 0;
    el.addEventListener('meeting-join-request', () => fired++);
    await typeName(el, '   ');
    joinButton(el).click();
    await el.updateComplete;
    expect(fired).to.equal(0);
    expect(part(el, 'message').textContent).to.contain('Please enter your name');
    expect(part(el, 'name-input').getAttribute('aria-invalid')).to.equal('true');
    await typeName(el, 'Ada');
    expect(el.shadowRoot?.querySelector('meeting-lobby')?.shadowRoot?.querySelector('[part~="message"]')).to.equal(null);
  });

  it('fires no event when properties are set by code', async () => {
    let fired = 0;
    const el = await fixture<MeetingRoom>(html`<meeting-room @meeting-join-request=${() => fired++}></meeting-room>`);
    el.meetingId = 'x';
    el.displayName = 'Someone';
    await el.updateComplete;
    expect(fired).to.equal(0);
  });

  it('disables joining and explains when no meeting is given', async () => {
    const el = await fixture<MeetingRoom>(html`<meeting-room></meeting-room>`);
    expect(joinButton(el).disabled).to.equal(true);
    expect(part(el, 'message').textContent).to.contain('did not say which meeting');
  });

  it('is styled from outside through a part and a custom property', async () => {
    const style = document.createElement('style');
    style.textContent = `
      .themed { --meeting-color-accent: rgb(10, 120, 30); }
      .themed::part(heading) { color: rgb(200, 0, 100); }
    `;
    document.head.append(style);
    try {
      const el = await fixture<MeetingRoom>(html`<meeting-room class="themed" meeting-id="m"></meeting-room>`);
      expect(getComputedStyle(part(el, 'heading')).color).to.equal('rgb(200, 0, 100)');
      expect(getComputedStyle(part(el, 'join-button')).backgroundColor).to.equal('rgb(10, 120, 30)');
    } finally {
      style.remove();
    }
  });

  it('switches palette with the theme attribute', async () => {
    const light = await fixture<MeetingRoom>(html`<meeting-room theme="light"></meeting-room>`);
    const dark = await fixture<MeetingRoom>(html`<meeting-room theme="dark"></meeting-room>`);
    expect(getComputedStyle(light).backgroundColor).to.equal('rgb(255, 255, 255)');
    expect(getComputedStyle(dark).backgroundColor).to.equal('rgb(31, 32, 35)');
  });

  it('speaks the language of its lang attribute, with host overrides', async () => {
    const fr = await fixture<MeetingRoom>(html`<meeting-room lang="fr-CA" meeting-id="m"></meeting-room>`);
    expect(part(fr, 'join-button').textContent).to.equal('Rejoindre la réunion');
    registerMessages('de', { 'lobby.join': 'Beitreten' });
    const de = await fixture<MeetingRoom>(html`<meeting-room lang="de" meeting-id="m"></meeting-room>`);
    expect(part(de, 'join-button').textContent).to.equal('Beitreten');
    expect(part(de, 'heading').textContent).to.equal('Ready to join?');
  });

  it('warns instead of throwing when the tag is defined twice', () => {
    const warnings: unknown[][] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      class OtherCopy extends HTMLElement {}
      expect(() => defineElement('meeting-room', OtherCopy)).not.to.throw();
      expect(customElements.get('meeting-room')).to.equal(MeetingRoom);
      expect(String(warnings[0]?.[0])).to.contain('already defined');
    } finally {
      console.warn = original;
    }
  });
});
