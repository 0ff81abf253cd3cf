// Keystroke-to-output times, for the benchmark only: present when the page's address has `echo-probe`, absent (null)
// otherwise, so a person's page does no bookkeeping. The benchmark (docs/benchmarks.md) types one key at a time in a
// shell that echoes it and reads the time from the key's event to the output handed to xterm.js.
export const echoProbe = new URLSearchParams(location.search).has('echo-probe') ? createProbe() : null;

function createProbe() {
  let keyAt = 0;
  let waiter = null;
  const samples = [];
  // Capture phase on the document: before xterm.js turns the key into data and the socket sends it.
  document.addEventListener('keydown', (e) => { keyAt = e.timeStamp; }, true);
  return {
    /** Called as output reaches xterm.js: the first output after a key completes that key's sample. */
    output() {
      if (keyAt === 0) return;
      samples.push(performance.now() - keyAt);
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
    /** The samples so far, in milliseconds, and forgets them. */
    take: () => samples.splice(0),
  };
}
