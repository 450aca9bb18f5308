// Preloaded into benchmark children (`node --import`): at exit, the whole process's CPU time
// (every thread, start-up included) goes to the file named by BENCH_CPU_OUT.
import { writeFileSync } from 'node:fs';

const out = process.env.BENCH_CPU_OUT;
if (out) {
  process.on('exit', () => {
    const u = process.cpuUsage();
    writeFileSync(out, JSON.stringify({ cpuSeconds: (u.user + u.system) / 1e6 }));
  });
}
