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
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(dialog.returnValue === 'confirm' ? input.value : undefined);
    });
    document.body.append(dialog);
    dialog.showModal();
  });
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
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (dialog.returnValue !== 'confirm') return resolve(undefined);
      resolve(Object.fromEntries(fields.map((field) => [field.name, field.control.value.trim()])));
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}
