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
