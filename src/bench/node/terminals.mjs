// One shell as the benchmark's Node.js client sees it, through Porthole (ws, as a browser connects) or straight
// from the engine's hijacked exec stream. Times are taken in the handler that receives the bytes.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import WebSocket from 'ws';

const now = () => process.hrtime.bigint();

/** What a terminal printed: a tail to search, a running count, and the moment an expected text arrived. */
export class Output {
  constructor() {
    this.tail = '';
    this.total = 0;
    this.expected = null;
    this.waiter = null;
    this.matchedAt = 0n;
  }

  append(text) {
    this.total += text.length;
    this.tail += text;
    if (this.expected !== null && this.matchedAt === 0n && this.tail.includes(this.expected)) {
      this.matchedAt = now();
      const resolve = this.waiter;
      this.waiter = null;
      if (resolve) resolve(this.matchedAt);
    }
    if (this.tail.length > 128 * 1024) this.tail = this.tail.slice(-64 * 1024);
  }

  /** Before the input that should print `needle`: only output from now on can match. */
  expect(needle) {
    this.expected = needle;
    this.tail = '';
    this.matchedAt = 0n;
    this.waiter = null;
  }

  /** Expects `needle` in what already arrived too (a prompt). */
  expectFromStart(needle) {
    this.expected = needle;
    this.matchedAt = this.tail.includes(needle) ? now() : 0n;
  }

  /** Resolves with the hrtime (ns) of the expected text's arrival. */
  await(timeoutMs = 10000) {
    if (this.matchedAt !== 0n) return Promise.resolve(this.matchedAt);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no '${this.expected}' within ${timeoutMs} ms; last output: `
        + JSON.stringify(this.tail.slice(-300)))), timeoutMs);
      this.waiter = (at) => { clearTimeout(timer); resolve(at); };
    });
  }
}

/** Porthole's HTTP API for one signed-in person, as the page calls it. */
export class Porthole {
  constructor(baseUrl) {
    this.baseUrl = baseUrl.endsWith('/') ? baseUrl : baseUrl + '/';
    this.origin = new URL(this.baseUrl).origin;
    this.cookie = null;
  }

  async signIn(user, password) {
    const r = await fetch(this.baseUrl + 'api/auth/login', {
      method: 'POST', headers: { 'Content-Type': 'application/json', Origin: this.origin },
      body: JSON.stringify({ username: user, password }),
    });
    if (r.status !== 200) throw new Error(`sign-in answered ${r.status}: ${await r.text()}`);
    // One node's container session, or a cluster's sign-in (porthole-signin), which every node honours.
    this.cookie = r.headers.getSetCookie().map((c) => c.split(';')[0])
      .find((c) => c.startsWith('session=') || c.startsWith('porthole-signin='));
    return this;
  }

  async post(path) {
    const r = await fetch(this.baseUrl + path, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Origin: this.origin, Cookie: this.cookie },
      body: '{}',
    });
    const body = await r.text();
    if (r.status !== 200 && r.status !== 204) throw new Error(`POST ${path} answered ${r.status}: ${body}`);
    return body;
  }

  async createExec(container) {
    return JSON.parse(await this.post(`api/containers/${container}/exec?envId=1`)).execId;
  }

  /** As the page does before it attaches: the server applies the size as the shell starts. */
  resize(execId, rows = 24, cols = 80) {
    return this.post(`api/containers/exec/${execId}/resize?envId=1&h=${rows}&w=${cols}`);
  }

  /**
   * Attaches as Chromium does: Origin, the session cookie, the porthole.binary subprotocol, and (unless `deflate`
   * is false) the offer `permessage-deflate; client_max_window_bits`. ws leaves messages under 1 KiB uncompressed
   * by default; Chromium compresses every message, so the threshold is 0.
   */
  attach(execId, deflate = true, rows = 24, cols = 80) {
    const url = this.baseUrl.replace(/^http/, 'ws') + `api/containers/exec/${execId}/attach?envId=1&h=${rows}&w=${cols}`;
    const socket = new WebSocket(url, ['porthole.binary'], {
      origin: this.origin,
      headers: { Cookie: this.cookie },
      perMessageDeflate: deflate ? { threshold: 0 } : false,
    });
    return new PortholeTerminal(socket);
  }

  /** The page's way to a prompt: create, attach with the size, and the prompt's arrival. */
  async openShell(container, deflate = true) {
    const start = now();
    const execId = await this.createExec(container);
    const created = now();
    const terminal = this.attach(execId, deflate);
    terminal.output.expectFromStart('# ');
    await terminal.opened;
    const opened = now();
    const prompt = await terminal.output.await(30000);
    // Where the time to prompt went, stage by stage (ns): create answered, socket open, the shell's first output,
    // its prompt. The first output can come before 'open' is handled: that stage is then 0.
    const first = terminal.firstOutputAt > opened ? terminal.firstOutputAt : opened;
    terminal.stages = [created - start, opened - created, first - opened, prompt - first].map(Number);
    return terminal;
  }
}

export class PortholeTerminal {
  constructor(socket) {
    this.socket = socket;
    this.output = new Output();
    this.decoder = new StringDecoder('utf8');
    this.payloadBytes = 0;
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve(`${code} ${reason}`)));
    this.opened = new Promise((resolve, reject) => {
      socket.on('open', resolve);
      socket.on('error', reject);
      socket.on('unexpected-response', (req, res) => reject(new Error(`handshake answered ${res.statusCode}`)));
    });
    this.firstOutputAt = 0n;
    socket.on('message', (data, isBinary) => {
      if (this.firstOutputAt === 0n) this.firstOutputAt = now();
      this.payloadBytes += data.length;
      this.output.append(isBinary ? this.decoder.write(data) : data.toString());
    });
  }

  /** The extensions the server agreed to, as its answer said them. */
  get extensions() {
    return this.socket.extensions || '';
  }

  /** Bytes read from the TCP connection: frames as they crossed the wire, compressed or not. */
  get wireBytes() {
    return this.socket._socket ? this.socket._socket.bytesRead : 0;
  }

  type(text) {
    this.socket.send(text);
  }

  close() {
    this.socket.close(1000, 'bye');
    return this.closed;
  }
}

/** The engine without Porthole: the exec Porthole creates, on http over the engine's unix socket. */
export class Engine {
  constructor(dockerHost) {
    const url = new URL(dockerHost);
    if (url.protocol !== 'unix:') throw new Error(`the direct path needs a unix:// DOCKER_HOST, not ${dockerHost}`);
    this.socketPath = url.pathname;
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  }

  request(path, body, headers = {}) {
    return new Promise((resolve, reject) => {
      const json = JSON.stringify(body);
      const req = http.request({
        socketPath: this.socketPath, path, method: 'POST', agent: headers.Upgrade ? false : this.agent,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(json), ...headers },
      });
      req.on('upgrade', (res, socket, head) => resolve({ status: res.statusCode, socket, head }));
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => { text += d; });
        res.on('end', () => resolve({ status: res.statusCode, body: text }));
      });
      req.on('error', reject);
      req.end(json);
    });
  }

  async createExec(container) {
    const r = await this.request(`/containers/${container}/exec`, {
      AttachStdin: true, AttachStdout: true, AttachStderr: true, Tty: true, User: 'root', Cmd: ['/bin/sh'],
      Env: ['TERM=xterm-256color', `PORTHOLE_SESSION=${randomUUID().replaceAll('-', '')}`],
    });
    if (r.status !== 201) throw new Error(`exec create answered ${r.status}: ${r.body}`);
    return JSON.parse(r.body).Id;
  }

  /** The docker CLI's way to a prompt: create, start (the size follows the start, unawaited), the prompt. */
  async openShell(container) {
    const execId = await this.createExec(container);
    const r = await this.request(`/exec/${execId}/start`, { Detach: false, Tty: true },
      { Connection: 'Upgrade', Upgrade: 'tcp' });
    if (r.status !== 101) throw new Error(`exec start answered ${r.status}`);
    const terminal = new DirectTerminal(r.socket, r.head);
    terminal.output.expectFromStart('# ');
    this.request(`/exec/${execId}/resize?h=24&w=80`, {}).catch(() => {});
    await terminal.output.await(30000);
    return terminal;
  }
}

export class DirectTerminal {
  constructor(socket, head) {
    this.socket = socket;
    this.output = new Output();
    this.payloadBytes = 0;
    socket.setNoDelay(true);
    this.closed = new Promise((resolve) => socket.on('close', () => resolve('closed')));
    socket.on('error', () => {});
    const take = (data) => {
      this.payloadBytes += data.length;
      this.output.append(data.toString('latin1'));
    };
    if (head && head.length) take(head);
    socket.on('data', take);
  }

  get extensions() {
    return '';
  }

  get wireBytes() {
    return this.socket.bytesRead;
  }

  type(text) {
    this.socket.write(text);
  }

  /** Ends the shell first: the engine leaves an exec's process running when its connection drops. */
  async close() {
    this.socket.write('\u0003exit\n');
    await Promise.race([this.closed, new Promise((r) => setTimeout(r, 2000))]);
    this.socket.destroy();
  }
}
