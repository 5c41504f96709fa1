// Preloaded into a timed process (node -r): on exit, its own CPU time (user + system, µs
// resolution, start-up included) goes to file descriptor 3, where bench/util.ts reads it.
process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  try {
    require('node:fs').writeSync(3, `${(user + system) / 1000}\n`);
  } catch {
    /* not timed by the bench */
  }
});
