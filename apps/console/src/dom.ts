/** Children of an element: text is always set as text (never parsed as HTML), null and false are skipped. */
export type Child = Node | string | number | null | undefined | false;
type Attributes = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;

/** Builds an element: `on*` attributes become listeners, `true` a bare attribute, `false`/undefined nothing. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === 'function') element.addEventListener(name.slice(2).toLowerCase(), value);
    else if (value === true) element.setAttribute(name, '');
    else if (value !== false && value !== undefined) element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

export function append(parent: Element, children: Child[]): void {
  for (const child of children)
    if (child !== null && child !== undefined && child !== false)
      parent.append(child instanceof Node ? child : String(child));
}

/** Replaces an element's children. */
export function fill(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/**
 * Replaces an element's children and gives focus back to the control that had it, found again by its
 * `data-focus-key`: a refresh must not throw a keyboard user out of the table they are working in.
 */
export function fillKeepingFocus(parent: Element, ...children: Child[]): void {
  const focused = document.activeElement;
  const key =
    focused instanceof HTMLElement && parent.contains(focused) ? focused.dataset.focusKey : undefined;
  fill(parent, ...children);
  if (key !== undefined)
    [...parent.querySelectorAll<HTMLElement>('[data-focus-key]')]
      .find((element) => element.dataset.focusKey === key)
      ?.focus();
}

/** A table with a caption for screen readers, a header row and one row per item. */
export function table<T>(
  caption: string,
  columns: Array<[string, (item: T) => Child]>,
  items: T[],
  empty = 'None yet.',
): HTMLElement {
  if (items.length === 0) return h('p', { class: 'empty' }, empty);
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h('caption', { class: 'visually-hidden' }, caption),
      h('thead', {}, h('tr', {}, ...columns.map(([title]) => h('th', { scope: 'col' }, title)))),
      h(
        'tbody',
        {},
        ...items.map((item) => h('tr', {}, ...columns.map(([, cell]) => h('td', {}, cell(item))))),
      ),
    ),
  );
}
