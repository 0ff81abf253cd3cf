// The benchmark's browser-like client (docs/benchmarks.md): run by dev.porthole.bench.Benchmark with one job as
// JSON in argv[2]; prints progress to stderr and one line `RESULT <json>` to stdout. Durations are in nanoseconds.
//   {"figure":"prompt", "porthole":{...}, "engine":"unix:///...", "container":"c", "rounds":N}
//      answers each side's times and Porthole's "stages" (create, socket open, first output, prompt)
//   {"figure":"echo", "side":"porthole"|"direct", ..., "keys":N, "warmUp":N}
//   {"figure":"throughput", "side":..., "bytes":N}
//   {"figure":"wire", "serverPid":P, "deflate":true|false, "commands":[...], "minBytes":N}
//   {"figure":"sessions", "side":..., "containers":[...], "sessions":N, "warmUpSeconds":N, "seconds":N}
//      with "hold":true the shells are only held open until the line on stdin, then closed; with "print":"cmd"
//      each shell runs cmd before OPENED
// "porthole" is {"baseUrl","user","password"}. The sessions figure prints `OPENED` once every shell is at its
// prompt and waits for a line on stdin before typing, so that the benchmark reads the server at its peak.
import fs from 'node:fs';
import readline from 'node:readline';
import { Engine, Porthole } from './terminals.mjs';

const now = () => process.hrtime.bigint();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const job = JSON.parse(process.argv[2]);

async function opener(side) {
  if (side === 'direct') {
    const engine = new Engine(job.engine);
    return (container) => engine.openShell(container);
  }
  const porthole = await new Porthole(job.porthole.baseUrl).signIn(job.porthole.user, job.porthole.password);
  return (container) => porthole.openShell(container, job.deflate !== false);
}

/** Create to prompt, alternating Porthole and direct round by round. */
async function prompt() {
  const porthole = await opener('porthole');
  const direct = await opener('direct');
  const result = { porthole: [], direct: [], stages: [] };
  for (let i = 0; i < job.rounds; i++) {
    for (const [side, open] of [['porthole', porthole], ['direct', direct]]) {
      const start = now();
      const terminal = await open(job.container);
      result[side].push(Number(terminal.output.matchedAt - start));
      if (terminal.stages) result.stages.push(terminal.stages);
      await terminal.close();
    }
  }
  return result;
}

/** Single keystrokes through a process that echoes each byte (head -c on a raw TTY without its own echo). */
async function echo() {
  const terminal = await (await opener(job.side))(job.container);
  const out = terminal.output;
  const total = job.keys + job.warmUp;
  out.expect('R2Y');
  terminal.type(`stty raw -echo; echo R$((1+1))Y; head -c ${total}; stty sane; echo E$((1+1))X\n`);
  await out.await();
  await sleep(50); // head must be reading before the first key
  const samples = [];
  for (let i = 0; i < total; i++) {
    const key = String.fromCharCode(97 + (i % 26));
    out.expect(key);
    const sent = now();
    terminal.type(key);
    samples.push(Number((await out.await()) - sent));
  }
  out.expectFromStart('E2X');
  await out.await();
  const extensions = terminal.extensions;
  await terminal.close();
  return { samples, extensions };
}

/** MiB/s of `bytes` printed by a process, from the command's Enter to the marker after it. */
async function throughput() {
  const terminal = await (await opener(job.side))(job.container);
  const out = terminal.output;
  out.expect('E2X');
  const wireBefore = terminal.wireBytes;
  const start = now();
  terminal.type(`head -c ${job.bytes} /dev/zero | tr '\\0' a; echo E$((1+1))X\n`);
  const end = await out.await(180000);
  const result = { seconds: Number(end - start) / 1e9, wireBytes: terminal.wireBytes - wireBefore, extensions: terminal.extensions };
  await terminal.close();
  return result;
}

/** The server's CPU time so far (user + system, all threads, exited ones included), in ms. */
function serverCpuMs(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime in clock ticks of 10 ms
}

/**
 * Bytes on the wire against bytes of output, and the server's CPU per MiB, for each command: run again and again
 * on one shell until at least `minBytes` of output went through, so that 10 ms ticks of CPU time weigh little.
 */
async function wire() {
  const terminal = await (await opener('porthole'))(job.container);
  const out = terminal.output;
  const rows = [];
  for (const command of job.commands) {
    let payload = 0, wireBytes = 0, cpu = 0, runs = 0;
    while (payload < job.minBytes) {
      out.expect('E2X');
      const p0 = terminal.payloadBytes, w0 = terminal.wireBytes, c0 = serverCpuMs(job.serverPid);
      terminal.type(`${command}; echo E$((1+1))X\n`);
      await out.await(180000);
      await sleep(100); // the prompt after the marker
      payload += terminal.payloadBytes - p0;
      wireBytes += terminal.wireBytes - w0;
      cpu += serverCpuMs(job.serverPid) - c0;
      runs++;
    }
    rows.push({ command, runs, payloadBytes: payload, wireBytes, serverCpuMs: cpu });
    process.stderr.write(`  ${command}: ${payload} bytes, ${wireBytes} on the wire, ${cpu} ms server CPU\n`);
  }
  const extensions = terminal.extensions;
  await terminal.close();
  return { rows, extensions };
}

/** Many shells at once, each typing one key a second at its prompt; an echo not back by the next key is late. */
async function sessions() {
  const open = await opener(job.side);
  const terminals = [];
  const start = now();
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < job.sessions) {
      const i = next++;
      terminals.push(await open(job.containers[i % job.containers.length]));
    }
  }));
  const openSeconds = Number(now() - start) / 1e9;
  const extensions = terminals.filter((t) => t.extensions.includes('permessage-deflate')).length;
  if (job.print) {
    // Output through every socket before the peak is read: a compressor's windows fill as output passes.
    await Promise.all(terminals.map(async (t) => {
      t.output.expect('P2Q');
      t.type(`${job.print}; echo P$((1+1))Q\n`);
      // 10 minutes: 200 shells printing 109 KB each at once took more than 2 at load average 40-90 (2 cores).
      await t.output.await(600000);
    }));
  }
  process.stdout.write(`OPENED ${JSON.stringify({ openSeconds, compressed: extensions })}\n`);
  const lines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  await lines.next();
  if (job.hold) {
    // Only held open for the server to be read: closed when told, nothing typed.
    await Promise.all(terminals.map((t) => t.close()));
    return { openSeconds, compressed: extensions };
  }

  let samples = [], late = 0, measuring = false;
  const timers = terminals.map((terminal, i) => {
    let sentAt = 0n, keys = 0;
    const collect = () => {
      if (sentAt === 0n) return;
      if (measuring) {
        if (terminal.output.matchedAt === 0n) late++;
        else samples.push(Number(terminal.output.matchedAt - sentAt));
      }
      sentAt = 0n;
    };
    const tick = () => {
      collect();
      const key = String.fromCharCode(97 + (keys++ % 26));
      terminal.output.expect(key);
      sentAt = now();
      terminal.type(key);
    };
    let interval;
    const first = setTimeout(() => { tick(); interval = setInterval(tick, 1000); }, (i * 1000) / terminals.length);
    return { stop: () => { clearTimeout(first); clearInterval(interval); }, collect };
  });
  await sleep(job.warmUpSeconds * 1000);
  samples = [];
  late = 0;
  measuring = true;
  await sleep(job.seconds * 1000);
  timers.forEach((t) => t.stop());
  await sleep(1000); // the last echoes
  timers.forEach((t) => t.collect());
  measuring = false;
  for (const t of terminals) t.type('\u0015');
  await Promise.all(terminals.map((t) => t.close()));
  return { openSeconds, compressed: extensions, samples, late };
}

const figures = { prompt, echo, throughput, wire, sessions };
try {
  const result = await figures[job.figure]();
  // Exit only once the line is out: stdout to a pipe is written asynchronously, and exit would cut a long line.
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`, () => process.exit(0));
} catch (e) {
  process.stderr.write(`browser-bench: ${e.stack || e}\n`);
  process.exit(1);
}
