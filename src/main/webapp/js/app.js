// The page: sign-in, the environment and container lists, the open dialog, and terminal tabs.
import { api, onSignedOut } from './api.js';
import { TerminalTab } from './terminal-tab.js';
import { openDialog } from './open-dialog.js';
import { echoProbe } from './echo-probe.js';

const $ = (id) => document.getElementById(id);

const state = {
  user: null,
  environments: [],
  envId: null,
  containers: [],
  tabs: [], // TerminalTab, in tab order
  active: null, // a TerminalTab, or null for the container list
};

// For the browser tests and for a curious person with dev tools: the active terminal's xterm.js Terminal.
window.porthole = {
  activeTerminal: () => state.active?.term ?? null,
  activeTab: () => state.active,
  tabs: () => state.tabs.slice(),
  echoProbe, // null unless the address has `echo-probe` (the benchmark's)
};

/* ---------- sign-in ---------- */

/**
 * Shows the sign-in form. After an explicit sign-out the terminals go; when a session merely ended they stay
 * hidden, ended, and come back if the same person signs in again (another person never sees them).
 */
function showSignIn(message, keepTabs = false) {
  if (!keepTabs) {
    for (const tab of state.tabs.splice(0)) tab.dispose();
    state.active = null;
  }
  $('app').hidden = true;
  $('signin').hidden = false;
  $('signin-error').textContent = message || '';
  $('signin-password').value = '';
  ($('signin-user').value ? $('signin-password') : $('signin-user')).focus();
}

/** A terminal closed with 4401: if the session is really gone, ask for a sign-in; if the server is, say so in place. */
async function terminalSignedOut() {
  try {
    await api.session();
  } catch (e) {
    // a 401 has already shown the sign-in form through onSignedOut; anything else leaves the tab's own words
  }
}

async function signIn(event) {
  event.preventDefault();
  const button = event.submitter || $('signin-form').querySelector('button');
  button.disabled = true;
  $('signin-error').textContent = '';
  try {
    const session = await api.signIn($('signin-user').value.trim(), $('signin-password').value);
    await showApp(session);
  } catch (e) {
    $('signin-error').textContent = e.message;
    $('signin-password').select();
  } finally {
    button.disabled = false;
  }
}

async function signOut() {
  try {
    await api.signOut();
  } catch (e) {
    // signed out already
  }
  history.replaceState(null, '', location.pathname);
  state.user = null;
  showSignIn('Signed out.');
}

/* ---------- environments and containers ---------- */

async function showApp(session) {
  if (state.user && state.user.username !== session.username) {
    for (const tab of state.tabs.splice(0)) tab.dispose();
  }
  state.user = session;
  $('whoami').textContent = session.username;
  $('signin').hidden = true;
  $('app').hidden = false;
  activate(state.tabs.includes(state.active) ? state.active : null);
  const link = new URLSearchParams(location.search);
  await loadEnvironments(link.get('envId'));
  if (link.get('container') && !state.tabs.length) {
    openTerminal({
      envId: link.get('envId') || state.envId,
      container: link.get('container'),
      shell: link.get('shell') || '/bin/sh',
      user: link.get('user') || 'root',
    });
  }
}

async function loadEnvironments(wanted) {
  const list = $('env-list');
  try {
    state.environments = await api.environments();
  } catch (e) {
    setMessage(e.message, 'error');
    return;
  }
  list.replaceChildren(...state.environments.map(environmentItem));
  const chosen = state.environments.find((e) => String(e.id) === wanted)
    || state.environments.find((e) => e.engine.reachable)
    || state.environments[0];
  if (chosen) await chooseEnvironment(chosen.id);
}

function environmentItem(environment) {
  const item = document.createElement('li');
  const button = document.createElement('button');
  button.className = 'env';
  button.dataset.envId = environment.id;
  const dot = document.createElement('span');
  dot.className = `dot ${environment.engine.reachable ? 'live' : 'error'}`;
  const name = document.createElement('span');
  name.className = 'env-name';
  name.textContent = environment.name;
  const where = document.createElement('span');
  where.className = 'env-where muted';
  const info = environment.connectionInfo;
  where.textContent = environment.engine.reachable
    ? (info.type === 'socket' ? info.host : `${info.host}:${info.port}`)
    : 'unreachable';
  button.title = environment.engine.reachable ? `${info.type} ${where.textContent}` : environment.engine.error;
  button.append(dot, name, where);
  button.addEventListener('click', () => chooseEnvironment(environment.id));
  item.append(button);
  return item;
}

async function chooseEnvironment(envId) {
  state.envId = String(envId);
  for (const b of document.querySelectorAll('.env')) b.classList.toggle('selected', b.dataset.envId === state.envId);
  const environment = state.environments.find((e) => String(e.id) === state.envId);
  $('containers-title').textContent = environment ? `Containers in ${environment.name}` : 'Containers';
  if (!state.active) history.replaceState(null, '', `?envId=${encodeURIComponent(state.envId)}`);
  await loadContainers();
}

async function loadContainers() {
  setMessage('Loading…', 'muted');
  try {
    state.containers = await api.containers(state.envId);
    setMessage('', '');
  } catch (e) {
    state.containers = [];
    setMessage(e.message, 'error');
  }
  renderContainers();
}

function renderContainers() {
  const filter = $('filter').value.trim().toLowerCase();
  const showAll = $('show-all').checked;
  const shown = state.containers.filter((c) => (showAll || c.state === 'running')
    && (!filter || c.names.some((n) => n.toLowerCase().includes(filter))));
  $('container-rows').replaceChildren(...shown.map(containerRow));
  if (state.containers.length && !shown.length) {
    setMessage(filter ? `No container matches “${$('filter').value.trim()}”.` : 'No running container.', 'muted');
  } else if (shown.length && $('containers-message').dataset.kind === 'muted') {
    setMessage('', '');
  }
  return shown;
}

function containerRow(container) {
  const row = document.createElement('tr');
  const running = container.state === 'running';
  row.className = running ? 'openable' : 'inert';
  row.dataset.container = container.names[0] || container.id.slice(0, 12);
  const cells = [row.dataset.container, container.image, container.state, container.status];
  cells.forEach((text, i) => {
    const cell = document.createElement('td');
    if (i === 2) {
      const badge = document.createElement('span');
      badge.className = `badge ${container.state}`;
      badge.textContent = text;
      cell.append(badge);
    } else {
      cell.textContent = text;
    }
    row.append(cell);
  });
  row.title = running ? `Open a terminal in ${row.dataset.container}` : `${row.dataset.container} is not running`;
  if (running) {
    row.tabIndex = 0;
    row.addEventListener('click', () => askAndOpen(row.dataset.container));
    row.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') askAndOpen(row.dataset.container);
    });
  }
  return row;
}

function setMessage(text, kind) {
  const message = $('containers-message');
  message.textContent = text;
  message.className = `message ${kind}`;
  message.dataset.kind = kind;
}

/* ---------- terminals and tabs ---------- */

async function askAndOpen(container) {
  const choice = await openDialog(state.envId, container);
  if (choice) openTerminal({ envId: state.envId, container, ...choice });
}

function openTerminal(target, replacing) {
  const environment = state.environments.find((e) => String(e.id) === String(target.envId));
  const tab = new TerminalTab({ ...target, envName: environment?.name ?? `environment ${target.envId}` }, {
    onEnded: renderTabs,
    onNewSession: (old) => openTerminal(old.target, old),
    onSignedOut: terminalSignedOut,
  });
  if (replacing) {
    state.tabs[state.tabs.indexOf(replacing)] = tab;
    replacing.dispose();
  } else {
    state.tabs.push(tab);
  }
  $('terminal-panes').append(tab.pane);
  activate(tab);
  tab.start();
  return tab;
}

function closeTab(tab) {
  const index = state.tabs.indexOf(tab);
  state.tabs.splice(index, 1);
  tab.dispose();
  if (state.active === tab) activate(state.tabs[Math.min(index, state.tabs.length - 1)] ?? null);
  else renderTabs();
}

function activate(tab) {
  state.active = tab;
  $('pane-home').hidden = tab !== null;
  for (const t of state.tabs) t.pane.hidden = t !== tab;
  renderTabs();
  if (tab) {
    tab.shown();
    const params = new URLSearchParams({ envId: tab.target.envId, container: tab.target.container, shell: tab.target.shell });
    if (tab.target.user !== 'root') params.set('user', tab.target.user);
    history.replaceState(null, '', `?${params}`);
    document.title = `${tab.target.container} · Porthole`;
  } else {
    if (state.envId) history.replaceState(null, '', `?envId=${encodeURIComponent(state.envId)}`);
    document.title = 'Porthole';
    $('filter').focus();
  }
}

function renderTabs() {
  const home = $('tab-home');
  home.setAttribute('aria-selected', String(state.active === null));
  home.onclick = () => activate(null);
  const buttons = state.tabs.map((tab) => {
    const button = document.createElement('button');
    button.className = `tab terminal-tab ${tab.ended ? 'ended' : ''}`;
    button.setAttribute('role', 'tab');
    button.setAttribute('aria-selected', String(state.active === tab));
    button.title = `${tab.target.shell} as ${tab.target.user} in ${tab.target.container} (${tab.target.envName})`;
    const label = document.createElement('span');
    label.textContent = tab.title;
    const close = document.createElement('span');
    close.className = 'tab-close';
    close.textContent = '×';
    close.title = 'Close this terminal';
    close.addEventListener('click', (e) => {
      e.stopPropagation();
      closeTab(tab);
    });
    button.append(label, close);
    button.addEventListener('click', () => activate(tab));
    button.addEventListener('auxclick', (e) => {
      if (e.button === 1) closeTab(tab);
    });
    return button;
  });
  $('tabs').replaceChildren(home, ...buttons);
}

/* ---------- start ---------- */

function wire() {
  $('signin-form').addEventListener('submit', signIn);
  $('signout').addEventListener('click', signOut);
  $('filter').addEventListener('input', renderContainers);
  $('filter').addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    const shown = renderContainers().filter((c) => c.state === 'running');
    if (shown.length === 1) askAndOpen(shown[0].names[0] || shown[0].id.slice(0, 12));
  });
  $('show-all').addEventListener('change', renderContainers);
  $('refresh').addEventListener('click', () => loadEnvironments(state.envId));
  document.addEventListener('keydown', (e) => {
    if (e.key === '/' && state.active === null && document.activeElement?.tagName !== 'INPUT' && !$('app').hidden) {
      $('filter').focus();
      e.preventDefault();
    }
  });
  onSignedOut(() => showSignIn('Your session has ended. Sign in again to continue.', true));
}

async function boot() {
  wire();
  try {
    await showApp(await api.session());
  } catch (e) {
    showSignIn(e.status === 401 ? '' : e.message);
  }
}

boot();
