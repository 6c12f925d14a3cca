/**
 * Keyboard focus after an action replaced the control that had it (memory/fixes/0121): the browser
 * then leaves the focus on the page itself, where the next Tab starts over at the top or leaves the
 * page, and a screen reader says nothing.
 */

/** The focus is at the page's start: on nothing (body), or on the main region the console put it on. */
export function focusAtPageStart(): boolean {
  const active = document.activeElement;
  return active === null || active === document.body || active === document.getElementById('main');
}

/** Focuses the first element of `ids` on the page; none there, nothing changes. */
export function focusFirst(...ids: readonly string[]): void {
  for (const id of ids) {
    const target = document.getElementById(id);
    if (target) {
      target.focus();
      return;
    }
  }
}
