import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/meeting-settings/meeting-settings.js';
import type { MeetingSettings } from '../../src/components/meeting-settings/meeting-settings.component.js';
import { MeetingApiClient } from '../../src/core/api/meeting-api-client.js';
import { MeetingController } from '../../src/core/controller/meeting-controller.js';

describe('<meeting-settings>', () => {
  it('lists the fake camera and microphone once previewing, and switches device on choice', async () => {
    // No server is needed for the lobby: the controller only opens local devices here.
    const controller = new MeetingController({ api: new MeetingApiClient({ baseUrl: 'http://127.0.0.1:9' }), meetingId: 'm' });
    try {
      await controller.preview();
      const el = await fixture<MeetingSettings>(html`<meeting-settings .controller=${controller}></meeting-settings>`);
      const selects = [...(el.shadowRoot?.querySelectorAll('select') ?? [])];
      expect(selects.length).to.be.at.least(2);
      const camera = selects[0]!;
      expect(camera.options.length).to.equal(controller.state.local.devices.videoinput.length);
      const target = camera.options[camera.options.length - 1]!.value;
      camera.value = target;
      camera.dispatchEvent(new Event('input'));
      // The choice is recorded at once; the camera restarts on that device in the background.
      expect(controller.state.local.selected.videoinput).to.equal(target);
      await expect(el).to.be.accessible();
    } finally {
      await controller.dispose();
    }
  });
});
