import { h } from './dom';

/**
 * The same confirmation the API asks for: the operator types the name it wants in `confirm`. Resolves
 * with the typed text, or undefined when cancelled. A <dialog> keeps focus inside until it closes.
 */
export function confirmTyped(action: string, expected: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const input = h('input', { id: 'confirm-input', autocomplete: 'off', required: true });
    const dialog = h(
      'dialog',
      { 'aria-labelledby': 'confirm-title' },
      h(
        'form',
        { method: 'dialog' },
        h('h2', { id: 'confirm-title' }, action),
        h('p', {}, 'Type ', h('code', {}, expected), ' to confirm.'),
        h('label', { for: 'confirm-input' }, 'Confirmation'),
        input,
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'submit', value: 'confirm', class: 'danger' }, action),
          h('button', { type: 'submit', value: 'cancel', formnovalidate: true }, 'Cancel'),
        ),
      ),
    );
    showModal(dialog, () => resolve(dialog.returnValue === 'confirm' ? input.value : undefined));
  });
}

/**
 * A confirmation without a value to type, for an action that is undone by another one (a promotion by a
 * rollback): resolves true when confirmed.
 */
export function confirmAction(action: string, explanation: string): Promise<boolean> {
  return askInDialog(action, explanation, []).then((values) => values !== undefined);
}

/** One labelled control of a dialog form. */
export interface DialogField {
  name: string;
  label: string;
  control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
}

/**
 * A modal form for an action that needs values (a cursor position, a count): resolves with each field's
 * value by name, or undefined when cancelled. The browser checks each control's own constraints first.
 */
export function askInDialog(
  action: string,
  explanation: string,
  fields: DialogField[],
): Promise<Record<string, string> | undefined> {
  return new Promise((resolve) => {
    for (const field of fields) {
      field.control.id = `dialog-${field.name}`;
      field.control.name = field.name;
    }
    const dialog = h(
      'dialog',
      { 'aria-labelledby': 'dialog-title' },
      h(
        'form',
        { method: 'dialog' },
        h('h2', { id: 'dialog-title' }, action),
        h('p', {}, explanation),
        ...fields.flatMap((field) => [h('label', { for: field.control.id }, field.label), field.control]),
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'submit', value: 'confirm', class: 'danger' }, action),
          h('button', { type: 'submit', value: 'cancel', formnovalidate: true }, 'Cancel'),
        ),
      ),
    );
    showModal(dialog, () =>
      resolve(
        dialog.returnValue === 'confirm'
          ? Object.fromEntries(fields.map((field) => [field.name, field.control.value.trim()]))
          : undefined,
      ),
    );
  });
}

/**
 * Opens a modal dialog and, once it closes, gives focus back to the control that opened it. A page that
 * refreshed meanwhile replaced that control: its successor is found by the same `data-focus-key`.
 */
export function showModal(dialog: HTMLDialogElement, onClose: () => void): void {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
  const key = opener?.dataset.focusKey;
  dialog.addEventListener('close', () => {
    dialog.remove();
    const successor =
      opener?.isConnected || key === undefined
        ? opener
        : [...document.querySelectorAll<HTMLElement>('[data-focus-key]')].find(
            (element) => element.dataset.focusKey === key,
          );
    successor?.focus();
    onClose();
  });
  document.body.append(dialog);
  dialog.showModal();
}
