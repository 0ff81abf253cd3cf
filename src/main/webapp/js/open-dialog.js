// The dialog that asks which shell and user a new terminal runs, offering the shells found in the container.
import { api } from './api.js';

const $ = (id) => document.getElementById(id);
const COMMON_SHELLS = ['/bin/sh', '/bin/bash', '/bin/ash', '/bin/zsh'];

let lookup = 0; // answers of an older lookup are ignored

/** Opens the dialog for {@code container}; resolves to {shell, user}, or null when cancelled. */
export function openDialog(envId, container) {
  const dialog = $('open-dialog');
  $('open-container').textContent = container;
  $('open-shell').value = '/bin/sh';
  $('open-error').textContent = '';
  offer([], 'Looking for shells…');
  findShells(envId, container, ++lookup);
  dialog.showModal();
  $('open-shell').focus();
  $('open-shell').select();

  return new Promise((resolve) => {
    const done = (value) => {
      $('open-form').removeEventListener('submit', submit);
      $('open-cancel').removeEventListener('click', cancel);
      dialog.removeEventListener('cancel', cancel);
      lookup++;
      if (dialog.open) dialog.close();
      resolve(value);
    };
    const submit = (e) => {
      e.preventDefault();
      const shell = $('open-shell').value.trim() || '/bin/sh';
      const user = $('open-user').value.trim() || 'root';
      done({ shell, user });
    };
    const cancel = (e) => {
      e.preventDefault();
      done(null);
    };
    $('open-form').addEventListener('submit', submit);
    $('open-cancel').addEventListener('click', cancel);
    dialog.addEventListener('cancel', cancel);
  });
}

async function findShells(envId, container, id) {
  try {
    const shells = await api.shells(envId, container);
    if (id !== lookup) return;
    offer(shells, shells.length ? 'Found:' : 'No shell found in this container: type the path of a program.');
  } catch (e) {
    if (id !== lookup) return;
    offer([], '');
    $('open-error').textContent = e.message;
  }
}

/** Found shells become buttons and lead the suggestions; the field keeps /bin/sh unless it is missing. */
function offer(shells, label) {
  const chips = $('open-shells');
  const caption = document.createElement('span');
  caption.className = 'muted';
  caption.textContent = label;
  chips.replaceChildren(caption, ...shells.map((shell) => {
    const chip = document.createElement('button');
    chip.type = 'button';
    chip.className = 'chip';
    chip.textContent = shell;
    chip.addEventListener('click', () => {
      $('open-shell').value = shell;
      $('open-submit').focus();
    });
    return chip;
  }));
  const suggestions = [...new Set([...shells, ...COMMON_SHELLS])];
  $('open-shell-list').replaceChildren(...suggestions.map((s) => Object.assign(document.createElement('option'), { value: s })));
  const field = $('open-shell');
  if (shells.length && field.value === '/bin/sh' && !shells.includes('/bin/sh')) field.value = shells[0];
}
