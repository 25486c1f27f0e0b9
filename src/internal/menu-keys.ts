// The keys of a menu (the WAI-ARIA menu pattern), for the control bar's menus and the people panel's.

/** Up and down (Home, End) move through a menu's items, Escape closes it: the keys of a menu. */
export function menuKeys(event: KeyboardEvent, active: Element | null | undefined, items: HTMLElement[], close: () => void): void {
  const at = items.indexOf(active as HTMLElement);
  const to = (i: number) => items[(i + items.length) % items.length]?.focus();
  if (event.key === 'Escape') close();
  else if (event.key === 'ArrowDown') to(at + 1);
  else if (event.key === 'ArrowUp') to(at - 1);
  else if (event.key === 'Home') to(0);
  else if (event.key === 'End') to(items.length - 1);
  else if (event.key === 'Tab') {
    close();
    return;
  } else return;
  event.preventDefault();
}
