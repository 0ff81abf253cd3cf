// Keystroke-to-output times, for the benchmark only: present when the page's address has `echo-probe`, absent (null)
// otherwise, so a person's page does no bookkeeping. The benchmark (docs/benchmarks.md) types one key at a time in a
// shell that echoes it and reads the time from the key's event to the output handed to xterm.js.
export const echoProbe = new URLSearchParams(location.search).has('echo-probe') ? createProbe() : null;

function createProbe() {
  let keyAt = 0;
  let sentAt = 0;
  let waiter = null;
  const samples = [];
  // Capture phase on the document: before xterm.js turns the key into data and the socket sends it.
  document.addEventListener('keydown', (e) => { keyAt = e.timeStamp; sentAt = 0; }, true);
  return {
    /** Called as the page hands a key's data to its socket: splits the browser's share from the round trip's. */
    sent() {
      if (keyAt !== 0 && sentAt === 0) sentAt = performance.now();
    },
    /** Called as output reaches xterm.js: the first output after a key completes that key's sample. */
    output() {
      if (keyAt === 0) return;
      const now = performance.now();
      // [key event to output, key event to the socket's send, the socket's send to output]
      samples.push([now - keyAt, sentAt === 0 ? -1 : sentAt - keyAt, sentAt === 0 ? -1 : now - sentAt]);
      keyAt = 0;
      const resume = waiter;
      waiter = null;
      if (resume) resume(samples.length);
    },
    /** Calls `done(count)` once more than `count` samples exist (at once if they already do). */
    awaitSample(count, done) {
      if (samples.length > count) done(samples.length);
      else waiter = done;
    },
    /** The samples so far, each [total, to the send, from the send] in milliseconds, and forgets them. */
    take: () => samples.splice(0),
  };
}
