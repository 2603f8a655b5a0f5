// UTCTime / GeneralizedTime in the RFC 5280 profile (seconds, 'Z', no fractions) to Unix seconds.

function digits(p: usize, n: i32): i32 {
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = <i32>load<u8>(p + <usize>i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
function daysFromCivil(y: i32, m: i32, d: i32): i64 {
  y -= m <= 2 ? 1 : 0;
  const era = (y >= 0 ? y : y - 399) / 400;
  const yoe = y - era * 400;
  const doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return <i64>era * 146097 + <i64>doe - 719468;
}

function daysIn(y: i32, m: i32): i32 {
  if (m == 2) return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28;
  return m == 4 || m == 6 || m == 9 || m == 11 ? 30 : 31;
}

// Returns Unix seconds, or NaN when the tag/format is not a valid RFC 5280 time.
export function parseTime(tag: u32, p: usize, len: u32): f64 {
  let y: i32;
  let q = p;
  if (tag == 0x17) {
    if (len != 13) return NaN;
    y = digits(q, 2);
    if (y < 0) return NaN;
    y += y >= 50 ? 1900 : 2000;
    q += 2;
  } else if (tag == 0x18) {
    if (len != 15) return NaN;
    y = digits(q, 4);
    if (y < 0) return NaN;
    q += 4;
  } else return NaN;
  const mo = digits(q, 2), d = digits(q + 2, 2), h = digits(q + 4, 2);
  const mi = digits(q + 6, 2), s = digits(q + 8, 2);
  if (load<u8>(q + 10) != 0x5a) return NaN;
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) return NaN;
  return <f64>(daysFromCivil(y, mo, d) * 86400 + <i64>(h * 3600 + mi * 60 + s));
}
