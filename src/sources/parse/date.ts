import { DateTime, FixedOffsetZone } from 'luxon';

/**
 * Tolerant feed date parsing. Korean and wire feeds write dates in many non-RFC shapes
 * (`Sun,27 Sep 2026`, `27 09 2026`, `2026.09.27`, `2026-09-27 19:00:00` with no zone); a date
 * is read only when every part is understood, otherwise it is absent, never guessed.
 */

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** Named zones seen in feeds (RFC 822 names plus the Asian ones Korean/Japanese feeds use). */
const ZONE_OFFSETS: Record<string, number> = {
  z: 0,
  ut: 0,
  utc: 0,
  gmt: 0,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
  kst: 540,
  jst: 540,
  cet: 60,
  cest: 120,
  bst: 60,
};

const ZONE = String.raw`(Z|[+-]\d{2}:?\d{2}|[+-]\d{2}|[A-Za-z]{1,4})`;
const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(?:\s*([AaPp][Mm]))?`;

/** `2026-09-27T19:00:00+09:00`, `2026-09-27 19:00`, `2026.09.27`, `2026/9/27`, `2026년 9월 27일 19:00`. */
const YMD = new RegExp(
  String.raw`^(\d{4})\s*(?:[-./]|년)\s*(\d{1,2})\s*(?:[-./]|월)\s*(\d{1,2})\s*(?:일|\.)?(?:(?:T|\s+|\s*\([^)]*\)\s*)${TIME})?\s*${ZONE}?$`,
);
/** `Sun, 27 Sep 2026 19:00:00 +0900`, `Sun,27 Sep 2026`, `27 09 2026 19:00`, `27 September 2026`. */
const DMY = new RegExp(
  String.raw`^(?:[A-Za-z]{3,9}\.?,?\s*)?(\d{1,2})[\s-]+([A-Za-z]{3,9}\.?|\d{1,2})[\s-]+(\d{4}|\d{2})(?:,?\s+${TIME})?\s*${ZONE}?$`,
);
/** `Sep 27, 2026`, `September 27, 2026 7:00 PM`, `Sun Sep 27 2026 19:00:00 GMT+0900`. */
const MDY = new RegExp(
  String.raw`^(?:[A-Za-z]{3,9}\.?,?\s+)?([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?:,?\s+(?:at\s+)?${TIME})?\s*(?:GMT)?${ZONE}?$`,
);
/** `20260927T190000Z` (GDELT `seendate`). */
const COMPACT = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z)?$/;

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  meridiem?: string | undefined;
  zone?: string | undefined;
}

/** Month number from `9`, `09`, `Sep`, `Sept.` or `September`; undefined for anything else. */
function monthOf(text: string): number | undefined {
  if (/^\d{1,2}$/.test(text)) return Number(text);
  const key = text.replace(/\.$/, '').toLowerCase();
  if (key.length < 3) return undefined;
  const index = MONTHS.findIndex((name) => name.startsWith(key));
  return index < 0 ? undefined : index + 1;
}

/** Offset in minutes for a zone token, or undefined when the token is not a zone we know. */
function zoneOffset(token: string): number | undefined {
  const lower = token.toLowerCase();
  const named = ZONE_OFFSETS[lower];
  if (named !== undefined) return named;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(token);
  if (!m) return undefined;
  const hours = Number(m[2]);
  const minutes = Number(m[3] ?? '0');
  if (hours > 14 || minutes > 59) return undefined;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

function num(text: string | undefined, fallback = 0): number {
  return text === undefined ? fallback : Number(text);
}

function timeParts(m: RegExpExecArray, at: number): Pick<Parts, 'hour' | 'minute' | 'second' | 'meridiem'> {
  return { hour: num(m[at]), minute: num(m[at + 1]), second: num(m[at + 2]), meridiem: m[at + 3] };
}

function match(text: string): Parts | undefined {
  let m = YMD.exec(text);
  if (m) {
    return { year: num(m[1]), month: num(m[2]), day: num(m[3]), ...timeParts(m, 4), zone: m[8] };
  }
  m = DMY.exec(text);
  if (m) {
    const month = monthOf(m[2] ?? '');
    if (month === undefined) return undefined;
    let year = num(m[3]);
    // RFC 822 allows two-digit years; feeds that use them mean this century.
    if ((m[3] ?? '').length === 2) year += year < 70 ? 2000 : 1900;
    return { year, month, day: num(m[1]), ...timeParts(m, 4), zone: m[8] };
  }
  m = MDY.exec(text);
  if (m) {
    const month = monthOf(m[1] ?? '');
    if (month === undefined) return undefined;
    return { year: num(m[3]), month, day: num(m[2]), ...timeParts(m, 4), zone: m[8] };
  }
  m = COMPACT.exec(text);
  if (m) {
    return {
      year: num(m[1]),
      month: num(m[2]),
      day: num(m[3]),
      hour: num(m[4]),
      minute: num(m[5]),
      second: num(m[6]),
      zone: m[7],
    };
  }
  return undefined;
}

/**
 * Last resort for shapes not listed above, accepted only when the text names its own zone:
 * the engine reads zone-less strings in the host's local time, which would invent an offset.
 */
function fallbackWithZone(text: string): string | undefined {
  if (!/(?:Z|[+-]\d{2}:?\d{2}|\b(?:GMT|UTC))$/i.test(text)) return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return undefined;
  const year = new Date(ms).getUTCFullYear();
  if (year < 1990 || year > 2200) return undefined;
  return DateTime.fromMillis(ms, { zone: 'UTC' }).toISO({ suppressMilliseconds: true }) ?? undefined;
}

/**
 * Parses a feed or page date into ISO 8601 UTC. Dates without an offset are read in `zone`
 * (an IANA name such as `Asia/Seoul`), else UTC. Returns undefined for anything not understood.
 */
export function parseFeedDate(input: string, zone?: string): string | undefined {
  // Normalise spacing quirks: "Sun,27 Sep", double spaces, "GMT+0900", trailing "(KST)".
  const text = input
    .replace(/[\s\u00a0]+/g, ' ')
    .trim()
    .replace(/,(?=\S)/g, ', ')
    .replace(/\s*\((?:KST|UTC|GMT)\)$/i, (s) => ` ${s.replace(/[()\s]/g, '')}`)
    .replace(/\b(GMT|UTC)([+-]\d)/i, '$2');
  if (text === '' || text.length > 80) return undefined;
  const parts = match(text);
  if (!parts) return fallbackWithZone(text);
  let { hour } = parts;
  if (parts.meridiem !== undefined) {
    if (hour < 1 || hour > 12) return undefined;
    const pm = parts.meridiem.toLowerCase() === 'pm';
    hour = (hour % 12) + (pm ? 12 : 0);
  }
  let dateZone: string | FixedOffsetZone = zone ?? 'UTC';
  if (parts.zone !== undefined) {
    const offset = zoneOffset(parts.zone);
    if (offset === undefined) return undefined;
    dateZone = FixedOffsetZone.instance(offset);
  }
  const dt = DateTime.fromObject(
    { year: parts.year, month: parts.month, day: parts.day, hour, minute: parts.minute, second: parts.second },
    { zone: dateZone },
  );
  if (!dt.isValid || parts.year < 1990 || parts.year > 2200) return undefined;
  return dt.toUTC().toISO({ suppressMilliseconds: true }) ?? undefined;
}
