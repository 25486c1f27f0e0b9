// Errors travel as codes: every code the core can report (its own, and the server's that it passes
// on) has an English and a French text in the catalogue, so no English prose from the core has to
// reach the UI.
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { errorMessageKey } from '../../src/i18n/error-messages.js';
import { loadMessages, translate } from '../../src/i18n/translate.js';
import { MeetingError } from '../../src/core/api/meeting-error.js';

describe('error codes and their texts', () => {
  it('every code in the core and the server has a text in English and in French', async () => {
    const sources = await executeServerCommand<Record<string, string>, { dirs: string[]; files: string[] }>('source-files', { dirs: ['src/core'], files: ['server/src/errors.ts'] });
    const codes = new Set<string>([MeetingError.NETWORK, MeetingError.ABORTED, MeetingError.INVALID_ARGUMENT]);
    for (const [path, text] of Object.entries(sources)) {
      const patterns = path.endsWith('server/src/errors.ts')
        ? [/^\s+([A-Z_]+): \d{3},$/gm]
        : [/new MeetingError\(\s*'([A-Z_]+)'/g, /reason\('([A-Z_]+)'/g, /\? '([A-Z_]+)' : '([A-Z_]+)'/g];
      for (const pattern of patterns) {
        for (const match of text.matchAll(pattern)) for (const code of match.slice(1)) if (code) codes.add(code);
      }
    }
    expect(codes.size, 'codes found in the sources').to.be.greaterThan(30);
    // French is fetched on first use (an element waits for it by itself); here nothing has asked yet.
    await loadMessages('fr');
    const unknown = translate('en', 'error.UNKNOWN');
    for (const code of codes) {
      const key = errorMessageKey(code);
      expect(key, code).to.equal(`error.${code}`);
      const en = translate('en', key);
      const fr = translate('fr', key);
      expect(en, code).to.not.equal(unknown);
      expect(fr, `${code} in French`).to.not.equal(en);
    }
    expect(errorMessageKey('SOMETHING_NEW')).to.equal('error.UNKNOWN');
  });
});
