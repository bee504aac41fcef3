/**
 * Exact decimal arithmetic for money, on BigInt: a value is an integer count of
 * 10^-scale units. Prices are stored as numeric(18, 4) and read as strings; nothing here
 * ever goes through a float.
 */
export interface Dec {
  /** The value times 10^scale. */
  units: bigint;
  scale: number;
}

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;

export function isDecimal(s: string): boolean {
  return DECIMAL.test(s.trim());
}

export function parseDec(s: string): Dec {
  const m = DECIMAL.exec(s.trim());
  if (!m) throw new Error(`not a decimal: ${JSON.stringify(s)}`);
  const frac = m[3] ?? '';
  const units = BigInt(m[2]! + frac) * (m[1] === '-' ? -1n : 1n);
  return { units, scale: frac.length };
}

const pow10 = (n: number) => 10n ** BigInt(n);

/** Divide rounding half away from zero ("half-up" on magnitudes, as on an invoice). */
function divRoundHalfUp(n: bigint, d: bigint): bigint {
  const neg = n < 0n !== d < 0n;
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  const q = (an * 2n + ad) / (ad * 2n);
  return neg ? -q : q;
}

/** The same value at another scale; fewer decimals round half-up. */
export function rescale(a: Dec, scale: number): Dec {
  if (scale >= a.scale) return { units: a.units * pow10(scale - a.scale), scale };
  return { units: divRoundHalfUp(a.units, pow10(a.scale - scale)), scale };
}

export function mul(a: Dec, b: Dec): Dec {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

export function mulInt(a: Dec, n: number | bigint): Dec {
  return { units: a.units * BigInt(n), scale: a.scale };
}

export function sub(a: Dec, b: Dec): Dec {
  const s = Math.max(a.scale, b.scale);
  return { units: rescale(a, s).units - rescale(b, s).units, scale: s };
}

export function cmp(a: Dec, b: Dec): number {
  const s = Math.max(a.scale, b.scale);
  const x = rescale(a, s).units;
  const y = rescale(b, s).units;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Plain decimal text with exactly `scale` decimals (no exponent, no grouping). */
export function formatDec(a: Dec): string {
  const neg = a.units < 0n;
  const digits = (neg ? -a.units : a.units).toString().padStart(a.scale + 1, '0');
  const int = digits.slice(0, digits.length - a.scale);
  const frac = digits.slice(digits.length - a.scale);
  return `${neg ? '-' : ''}${int}${a.scale ? `.${frac}` : ''}`;
}

/**
 * A stored price as people write it: at least 2 decimals, more only when they carry
 * something ('12.3400' → '12.34', '0.1250' → '0.125').
 */
const TIDY = /^(-?\d+)\.(\d\d)(\d*?)0*$/;

export function tidyPrice(s: string): string {
  // Fast path for what numeric(18, 4) returns ('12.3400'): the download formats a million of them.
  const m = TIDY.exec(s);
  if (m) return `${m[1]}.${m[2]}${m[3]}`;
  const d = parseDec(s);
  let out = d;
  while (out.scale > 2 && out.units % 10n === 0n) out = { units: out.units / 10n, scale: out.scale - 1 };
  return formatDec(out.scale < 2 ? rescale(out, 2) : out);
}
