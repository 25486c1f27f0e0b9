// The theming demo: turns the form into a stylesheet, applies it to the page and shows it, so what
// you see is exactly the CSS a host site would write. No meeting is needed: the lobby is styled
// with the same tokens and parts as the call.
import '../src/index.js';

const form = document.querySelector<HTMLFormElement>('#controls');
const room = document.querySelector<HTMLElement>('#themed');
const pageTheme = document.querySelector<HTMLStyleElement>('#page-theme');
const shown = document.querySelector('#css');

function value(data: FormData, name: string): string {
  const v = data.get(name);
  return typeof v === 'string' ? v : '';
}

function stylesheet(data: FormData): string {
  const rules = [
    `  --meeting-color-accent: ${value(data, 'accent')};`,
    `  --meeting-radius: ${value(data, 'radius')}px;`,
    `  --meeting-spacing: ${value(data, 'spacing')}px;`,
    `  --meeting-font-family: ${value(data, 'font')};`,
  ];
  if (data.get('useSurface') === 'on') rules.push(`  --meeting-color-surface: ${value(data, 'surface')};`);
  let css = `#themed {\n${rules.join('\n')}\n}\n`;
  if (data.get('uppercase') === 'on') css += `#themed::part(join-button) {\n  text-transform: uppercase;\n  letter-spacing: 0.04em;\n}\n`;
  if (data.get('squarePreview') === 'on') css += `#themed::part(preview) {\n  border-radius: 0;\n}\n`;
  return css;
}

function apply(): void {
  if (!form || !room || !pageTheme || !shown) return;
  const data = new FormData(form);
  const css = stylesheet(data);
  pageTheme.textContent = css;
  room.setAttribute('theme', value(data, 'theme'));
  room.setAttribute('lang', value(data, 'lang'));
  room.dir = data.get('rtl') === 'on' ? 'rtl' : 'ltr';
  const attributes = `<meeting-room theme="${value(data, 'theme')}" lang="${value(data, 'lang')}"${room.dir === 'rtl' ? ' dir="rtl"' : ''} …></meeting-room>`;
  shown.textContent = `${attributes}\n\n${css}`;
}

form?.addEventListener('input', apply);
form?.addEventListener('change', apply);
apply();

// This page only styles the lobby: joining is turned down, the way a host page can veto it.
room?.addEventListener('meeting-join-request', (event) => {
  event.preventDefault();
  if (shown) shown.textContent = `Joining is switched off on this page (meeting-join-request was cancelled).\n\n${shown.textContent}`;
});
