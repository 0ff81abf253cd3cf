// One terminal: an xterm.js Terminal, its socket to Porthole, and the status line under it.
import { api, attachUrl } from './api.js';
import { echoProbe } from './echo-probe.js';

/* global Terminal, FitAddon, WebLinksAddon, Unicode11Addon, SearchAddon */

const THEME = {
  background: '#0b0f14', foreground: '#d7dde5', cursor: '#7cc4ff', cursorAccent: '#0b0f14',
  selectionBackground: '#2b4a6f',
  black: '#1c2128', red: '#f47067', green: '#8ddb8c', yellow: '#f2cc60',
  blue: '#6cb6ff', magenta: '#dcbdfb', cyan: '#76e3ea', white: '#c5d1de',
  brightBlack: '#636e7b', brightRed: '#ff938a', brightGreen: '#b4f1b4', brightYellow: '#f8e3a1',
  brightBlue: '#96d0ff', brightMagenta: '#eedcff', brightCyan: '#b3f0ff', brightWhite: '#f0f6fc',
};
/** Input goes out in pieces well under the server's 1 MiB message limit, so a large paste arrives whole. */
const MAX_INPUT_CHARS = 64 * 1024;
/** The subprotocol that asks for output as binary frames (README.md, "The terminal socket"). */
const BINARY_OUTPUT = 'porthole.binary';
/** Dragging a window edge fires many sizes; the engine needs only the last. */
const RESIZE_DELAY_MS = 120;

/** What a close code and reason mean to the person at the terminal. */
function describeClose(event, opened) {
  const exit = /^exit (-?\d+|unknown)$/.exec(event.reason || '');
  if (event.code === 1000 && exit) {
    return { text: `Process exited with code ${exit[1]}`, kind: exit[1] === '0' ? 'ok' : 'warn', exitCode: exit[1] };
  }
  switch (event.code) {
    case 4401: return { text: 'Your session ended (signed out, expired or server restarted): this terminal was closed', kind: 'error', signedOut: true };
    case 4404: return { text: 'This session expired before it could connect', kind: 'error' };
    case 1001: return { text: `Porthole closed the terminal: ${event.reason || 'going away'}`, kind: 'error' };
    case 1009: return { text: `Input too large: ${event.reason}`, kind: 'error' };
    case 1011: return { text: `The Docker engine failed: ${event.reason || 'no details'}`, kind: 'error' };
    case 1006:
      return opened
        ? { text: 'Connection lost: the link to Porthole dropped and this shell has ended', kind: 'error' }
        : { text: 'Could not connect to the terminal', kind: 'error' };
    default:
      return { text: `Terminal closed (${event.code}${event.reason ? ': ' + event.reason : ''})`, kind: 'error' };
  }
}

function element(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

export class TerminalTab {
  /**
   * @param target {envId, envName, container, shell, user}
   * @param callbacks {onEnded(tab), onNewSession(tab), onSignedOut()}
   */
  constructor(target, callbacks) {
    this.target = target;
    this.callbacks = callbacks;
    this.execId = null;
    this.socket = null;
    this.ended = false;
    this.exitCode = null;
    this.sentSize = '';
    this.resizeTimer = 0;

    this.pane = element('section', 'pane terminal-pane');
    this.pane.setAttribute('role', 'tabpanel');
    this.host = element('div', 'terminal-host');
    const bar = element('div', 'statusbar');
    this.dot = element('span', 'dot connecting');
    this.status = element('span', 'status-text', 'Starting…');
    this.size = element('span', 'status-size muted');
    this.search = element('input', 'search');
    Object.assign(this.search, { type: 'search', placeholder: 'Find (Ctrl+Shift+F)', spellcheck: false });
    this.search.setAttribute('aria-label', 'Find in terminal');
    this.again = element('button', 'primary small again', 'New session');
    this.again.addEventListener('click', () => this.callbacks.onNewSession(this));
    bar.append(this.dot, this.status, this.size, this.search, this.again);
    this.pane.append(this.host, bar);

    this.term = new Terminal({
      allowProposedApi: true, // unicode11 sets the proposed term.unicode.activeVersion
      cursorBlink: true,
      fontFamily: '"DejaVu Sans Mono", "Liberation Mono", ui-monospace, Menlo, Consolas, monospace',
      fontSize: 14,
      scrollback: 10000,
      theme: THEME,
    });
    this.fit = new FitAddon.FitAddon();
    this.finder = new SearchAddon.SearchAddon();
    this.term.loadAddon(this.fit);
    this.term.loadAddon(this.finder);
    this.term.loadAddon(new WebLinksAddon.WebLinksAddon((event, uri) => window.open(uri, '_blank', 'noopener,noreferrer')));
    this.term.loadAddon(new Unicode11Addon.Unicode11Addon());
    this.term.unicode.activeVersion = '11';
    this.term.attachCustomKeyEventHandler((e) => this.shortcut(e));
    this.term.onData((data) => this.send(data));
    this.term.onBinary((data) => this.sendBinary(data));
    this.term.onResize(() => this.scheduleResize());
    this.search.addEventListener('keydown', (e) => this.searchKey(e));
  }

  get title() {
    return `${this.target.container} · ${this.target.shell.split('/').pop()}`;
  }

  /** Called once the pane is in the document and visible: sizes the terminal, then creates and attaches. */
  async start() {
    this.term.open(this.host);
    this.observer = new ResizeObserver(() => this.refit());
    this.observer.observe(this.host);
    this.refit();
    // The tab was shown before xterm.js had its text box, so that focus went nowhere: the keyboard goes to the
    // terminal now, and typing works without a click.
    if (!this.pane.hidden) this.focus();
    this.setStatus('connecting', `Starting ${this.target.shell} as ${this.target.user} in ${this.target.container}…`);
    try {
      const created = await api.createExec(this.target.envId, this.target.container, this.target.shell, this.target.user);
      this.execId = created.execId;
      this.connect();
    } catch (e) {
      this.finish({ text: e.message, kind: 'error' });
    }
  }

  connect() {
    let opened = false;
    // Output as binary frames of the engine's bytes: nothing for the server to decode, and xterm.js joins a
    // character split between two frames itself.
    // The size goes with the attach, and the shell starts with it, so that its first prompt fits.
    this.sentSize = `${this.term.rows}x${this.term.cols}`;
    const socket = new WebSocket(attachUrl(this.target.envId, this.execId, this.term.rows, this.term.cols),
      [BINARY_OUTPUT]);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    socket.onopen = () => {
      opened = true;
      this.setStatus('live', `${this.target.container} · ${this.target.shell} as ${this.target.user}`);
      this.pushSize(); // the size changed while the socket opened
    };
    socket.onmessage = (event) => {
      echoProbe?.output();
      this.term.write(typeof event.data === 'string' ? event.data : new Uint8Array(event.data));
    };
    socket.onclose = (event) => {
      this.socket = null;
      this.finish(describeClose(event, opened));
    };
  }

  send(data) {
    if (this.ended && data === '\r') {
      this.callbacks.onNewSession(this); // Enter on a finished terminal starts the next one
      return;
    }
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return;
    echoProbe?.sent();
    for (let start = 0; start < data.length;) {
      let end = Math.min(start + MAX_INPUT_CHARS, data.length);
      // Never split a surrogate pair: half an emoji would reach the shell as U+FFFD.
      if (end < data.length && /[\uD800-\uDBFF]/.test(data[end - 1])) end -= 1;
      this.socket.send(data.slice(start, end));
      start = end;
    }
  }

  /** xterm's binary input (some mouse reports) is bytes 0-255 in a string. */
  sendBinary(data) {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return;
    const bytes = new Uint8Array(data.length);
    for (let i = 0; i < data.length; i++) bytes[i] = data.charCodeAt(i) & 0xff;
    this.socket.send(bytes);
  }

  refit() {
    if (this.host.clientWidth === 0 || this.host.clientHeight === 0) return; // hidden tab: fit when shown
    this.fit.fit();
    this.size.textContent = `${this.term.cols}×${this.term.rows}`;
  }

  scheduleResize() {
    this.size.textContent = `${this.term.cols}×${this.term.rows}`;
    clearTimeout(this.resizeTimer);
    this.resizeTimer = setTimeout(() => this.pushSize(), RESIZE_DELAY_MS);
  }

  async pushSize() {
    const size = `${this.term.rows}x${this.term.cols}`;
    if (!this.execId || this.ended || size === this.sentSize) return;
    this.sentSize = size;
    try {
      await api.resize(this.target.envId, this.execId, this.term.rows, this.term.cols);
    } catch (e) {
      if (!this.ended) console.warn('resize failed', e.message);
    }
  }

  shortcut(e) {
    if (e.type !== 'keydown' || !e.ctrlKey || !e.shiftKey) return true;
    switch (e.key.toUpperCase()) {
      case 'C':
        if (this.term.hasSelection()) navigator.clipboard?.writeText(this.term.getSelection());
        return false;
      case 'V':
        return false; // not handled here: the browser's own paste reaches xterm's paste handler
      case 'F':
        this.search.focus();
        this.search.select();
        e.preventDefault();
        return false;
      default:
        return true;
    }
  }

  searchKey(e) {
    if (e.key === 'Enter') {
      const options = { caseSensitive: false };
      if (e.shiftKey) this.finder.findPrevious(this.search.value, options);
      else this.finder.findNext(this.search.value, options);
      e.preventDefault();
    } else if (e.key === 'Escape') {
      this.finder.clearDecorations?.();
      this.term.clearSelection();
      this.focus();
      e.preventDefault();
    }
  }

  finish(outcome) {
    if (this.ended) return;
    this.ended = true;
    this.exitCode = outcome.exitCode ?? null;
    clearTimeout(this.resizeTimer);
    this.setStatus(outcome.kind, `${outcome.text}. Press Enter for a new session.`);
    this.term.options.cursorBlink = false;
    this.pane.classList.add('ended');
    this.again.classList.add('shown');
    this.callbacks.onEnded(this);
    if (outcome.signedOut) this.callbacks.onSignedOut();
  }

  setStatus(kind, text) {
    this.dot.className = `dot ${kind}`;
    this.status.textContent = text;
    this.pane.dataset.state = kind;
  }

  focus() {
    if (this.ended) this.again.focus();
    else this.term.focus();
  }

  /** Shown again after another tab: the window may have changed meanwhile. */
  shown() {
    this.refit();
    this.focus();
  }

  dispose() {
    this.ended = true;
    clearTimeout(this.resizeTimer);
    this.observer?.disconnect();
    if (this.socket) this.socket.close(1000, 'tab closed');
    this.term.dispose();
    this.pane.remove();
  }
}
