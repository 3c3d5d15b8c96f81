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
