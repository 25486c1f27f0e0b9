import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/meeting-lobby/meeting-lobby.js';
import type { MeetingLobby } from '../../src/components/meeting-lobby/meeting-lobby.component.js';
import { MeetingApiClient } from '../../src/core/api/meeting-api-client.js';
import { MeetingController } from '../../src/core/controller/meeting-controller.js';
import { deep, until } from '../support/room-driver.js';

/** A controller whose server does not answer: the lobby only needs local devices until joining. */
function offlineController(): MeetingController {
  return new MeetingController({ api: new MeetingApiClient({ baseUrl: 'http://127.0.0.1:9' }), meetingId: 'standup' });
}

/** What getUserMedia says when the user refuses, or when there is no device to open. */
async function withGetUserMediaFailing<T>(name: 'NotAllowedError' | 'NotFoundError', fn: () => Promise<T>): Promise<T> {
  const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('refused or absent', name));
  try {
    return await fn();
  } finally {
    navigator.mediaDevices.getUserMedia = original;
  }
}

const part = <T extends Element = HTMLElement>(el: MeetingLobby, name: string) => deep<T>(el, [`[part~="${name}"]`]);

describe('<meeting-lobby>', function () {
  this.timeout(20000);
  let controller: MeetingController;

  beforeEach(() => {
    controller = offlineController();
  });
  afterEach(async () => {
    await controller.dispose();
  });

  it('shows the fake camera playing, the microphone level and the device lists', async () => {
    const el = await fixture<MeetingLobby>(html`<meeting-lobby meeting-id="standup" display-name="Ada" .controller=${controller}></meeting-lobby>`);
    await controller.preview();
    await until('the preview to play', () => (part(el, 'preview')[0]?.querySelector('video')?.videoWidth ?? 0) > 0);
    expect(part(el, 'mic-level')).to.have.length(1);
    await until('the microphone to be heard', () => controller.state.local.micLevel > 0);
    expect(deep(el, ['meeting-settings', 'select']).length).to.be.at.least(2);
    expect(part<HTMLInputElement>(el, 'name-input')[0]!.value).to.equal('Ada');
    await expect(el).to.be.accessible();
  });

  it('turns the camera off from its switch, and the preview says so', async () => {
    const el = await fixture<MeetingLobby>(html`<meeting-lobby meeting-id="standup" .controller=${controller}></meeting-lobby>`);
    await controller.preview();
    const cameraButton = () => part<HTMLButtonElement>(el, 'camera')[0]!;
    expect(cameraButton().getAttribute('aria-pressed')).to.equal('true');
    cameraButton().click();
    await until('the camera off', () => !controller.state.local.camera.enabled);
    await until('the preview to say so', () => deep(el, ['.preview-off']).length === 1 && cameraButton().getAttribute('aria-pressed') === 'false');
    await expect(el).to.be.accessible();
  });

  it('explains a refused permission and still lets the user join', async () => {
    const el = await fixture<MeetingLobby>(html`<meeting-lobby meeting-id="standup" .controller=${controller}></meeting-lobby>`);
    await withGetUserMediaFailing('NotAllowedError', () => controller.preview().catch(() => undefined));
    await el.updateComplete;
    expect(part(el, 'message').map((m) => m.textContent)).to.satisfy((texts: string[]) => texts.some((t) => t.includes('access was refused')));
    expect(part<HTMLButtonElement>(el, 'join-button')[0]!.disabled).to.equal(false);
    expect(deep(el, ['meeting-settings'])).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('explains when there is no camera or microphone at all', async () => {
    const el = await fixture<MeetingLobby>(html`<meeting-lobby lang="fr" meeting-id="standup" .controller=${controller}></meeting-lobby>`);
    await withGetUserMediaFailing('NotFoundError', () => controller.preview().catch(() => undefined));
    await el.updateComplete;
    expect(part(el, 'message').some((m) => m.textContent.includes('Aucune caméra'))).to.equal(true);
  });

  it('asks to join with the trimmed name, and joins unless the page cancels', async () => {
    const el = await fixture<MeetingLobby>(html`<meeting-lobby meeting-id="standup" .controller=${controller}></meeting-lobby>`);
    const input = part<HTMLInputElement>(el, 'name-input')[0]!;
    input.value = '  Lin  ';
    input.dispatchEvent(new Event('input'));
    await el.updateComplete;
    const requests: CustomEvent[] = [];
    const cancel = (event: Event) => {
      requests.push(event as CustomEvent);
      event.preventDefault();
    };
    document.addEventListener('meeting-join-request', cancel);
    part<HTMLButtonElement>(el, 'join-button')[0]!.click();
    document.removeEventListener('meeting-join-request', cancel);
    expect(requests[0]?.detail).to.deep.equal({ meetingId: 'standup', displayName: 'Lin' });
    expect(requests[0]?.composed).to.equal(true);
    // Cancelled: nothing was attempted.
    expect(controller.state.phase).to.be.oneOf(['idle', 'lobby']);

    part<HTMLButtonElement>(el, 'join-button')[0]!.click();
    // The server here does not answer: the attempt fails, and the lobby says why.
    await until('the failure', () => controller.state.phase === 'error');
    await el.updateComplete;
    expect(part(el, 'message').some((m) => m.getAttribute('role') === 'alert')).to.equal(true);
  });

  it('refuses an empty name with a message tied to the field', async () => {
    const el = await fixture<MeetingLobby>(html`<meeting-lobby meeting-id="standup" .controller=${controller}></meeting-lobby>`);
    let fired = 0;
    el.addEventListener('meeting-join-request', () => fired++);
    part<HTMLButtonElement>(el, 'join-button')[0]!.click();
    await el.updateComplete;
    expect(fired).to.equal(0);
    const input = part<HTMLInputElement>(el, 'name-input')[0]!;
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    expect(el.shadowRoot?.getElementById(input.getAttribute('aria-describedby') ?? '')?.textContent).to.contain('Please enter your name');
  });

  it('is styled from outside through a part and a custom property', async () => {
    const style = document.createElement('style');
    style.textContent = `.branded { --meeting-tile-background: rgb(1, 2, 3); } .branded::part(join-button) { border-radius: 0px; }`;
    document.head.append(style);
    try {
      const el = await fixture<MeetingLobby>(html`<meeting-lobby class="branded" meeting-id="standup" .controller=${controller}></meeting-lobby>`);
      expect(getComputedStyle(part(el, 'preview')[0]!).backgroundColor).to.equal('rgb(1, 2, 3)');
      expect(getComputedStyle(part(el, 'join-button')[0]!).borderTopLeftRadius).to.equal('0px');
    } finally {
      style.remove();
    }
  });
});
