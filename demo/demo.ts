import '../src/index.js';

const log = document.querySelector('#event-log');

// Show what the widget tells its host page, as an integrator would wire it up.
document.addEventListener('meeting-join-request', (event) => {
  const item = document.createElement('li');
  item.textContent = `meeting-join-request ${JSON.stringify(event.detail)}`;
  log?.prepend(item);
});
