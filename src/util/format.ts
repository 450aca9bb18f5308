// Number formatting for people, fixed (never the locale): the same text on every machine.

/** Thousands separators: 1234567 -> "1,234,567" (rounded to a whole number). */
export function thousands(n: number): string {
  const s = String(Math.round(n));
  const neg = s.startsWith('-');
  const digits = neg ? s.slice(1) : s;
  return (neg ? '-' : '') + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
