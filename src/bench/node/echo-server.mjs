// The Chromium figure's control (docs/benchmarks.md, 2c): a plain WebSocket echo server, no Porthole and no engine,
// with a bare page of its own at `/` that sends each key from its event and times the echo as Porthole's page probe
// does (and at `/?draw` also shows each key), so that a key's time through it is what the browser itself costs any
// site. Prints `LISTENING <port>` once
// it listens on a free loopback port; exits when its standard input closes.
import http from 'node:http';
import { WebSocketServer } from 'ws';

const PAGE = `<!doctype html><title>control</title><body>control<script>
const socket = new WebSocket('ws://' + location.host + '/');
let keyAt = 0, sentAt = 0, waiter = null;
const samples = [];
// With ?draw the page also shows each key, as a terminal's page changes on every key (xterm.js draws its cursor).
const draw = new URLSearchParams(location.search).has('draw');
document.addEventListener('keydown', (e) => {
  keyAt = e.timeStamp;
  sentAt = performance.now();
  socket.send(e.key);
  if (draw) document.body.append(e.key);
}, true);
socket.onmessage = () => {
  const now = performance.now();
  samples.push([now - keyAt, sentAt - keyAt, now - sentAt]);
  const resume = waiter;
  waiter = null;
  if (resume) resume(samples.length);
};
// The same face as Porthole's page probe (js/echo-probe.js), so that the benchmark reads both alike.
window.porthole = { echoProbe: {
  open: () => socket.readyState === 1,
  awaitSample(count, done) { if (samples.length > count) done(samples.length); else waiter = done; },
  take: () => samples.splice(0),
} };
</script>`;

const server = http.createServer((req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(PAGE);
});
const sockets = new WebSocketServer({ server });
sockets.on('connection', (socket) => socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary })));
server.listen(0, '127.0.0.1', () => process.stdout.write(`LISTENING ${server.address().port}\n`));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
