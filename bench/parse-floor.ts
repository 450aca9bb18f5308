// The parse floor of `npm run bench`: read a timeline in 1 MiB chunks, split the lines and
// JSON.parse each one; nothing else (no other module is imported, so start-up is bare Node).
import { closeSync, openSync, readSync } from 'node:fs';

function parseFloor(file: string): void {
  const fd = openSync(file, 'r');
  let buf = Buffer.allocUnsafe(1 << 20);
  let kept = 0;
  let n = 0;
  for (;;) {
    if (kept === buf.length) {
      const b = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(b, 0, 0, kept);
      buf = b;
    }
    const r = readSync(fd, buf, kept, buf.length - kept, null);
    const end = kept + r;
    if (r === 0) {
      if (end > 0) {
        JSON.parse(buf.toString('utf8', 0, end));
        n++;
      }
      break;
    }
    const last = buf.lastIndexOf(10, end - 1);
    if (last < kept) {
      kept = end;
      continue;
    }
    const s = buf.toString('utf8', 0, last + 1);
    let from = 0;
    for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', from)) {
      JSON.parse(s.slice(from, i));
      n++;
      from = i + 1;
    }
    buf.copy(buf, 0, last + 1, end);
    kept = end - last - 1;
  }
  closeSync(fd);
  process.stdout.write(String(n));
}

parseFloor(process.argv[2]!);
