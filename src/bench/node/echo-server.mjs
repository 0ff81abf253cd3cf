// The Chromium figure's control (docs/benchmarks.md, 2c): a plain WebSocket echo server, no Porthole and no engine,
// so that a page's key-to-echo time through it is what the browser itself costs. Prints `LISTENING <port>` once it
// listens on a free loopback port; exits when its standard input closes.
import { WebSocketServer } from 'ws';

const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
server.on('connection', (socket) => socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary })));
server.on('listening', () => process.stdout.write(`LISTENING ${server.address().port}\n`));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
