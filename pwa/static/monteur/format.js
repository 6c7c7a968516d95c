// Dutch dates and times in Amsterdam time. A date outside the current year carries its year:
// "di 16 dec" for last December would read as next month.
const TZ = "Europe/Amsterdam";

export function dayKey(iso) {
  return iso ? new Date(iso).toLocaleDateString("sv-SE", { timeZone: TZ }) : "";
}

function yearOf(date) {
  return date.toLocaleDateString("sv-SE", { timeZone: TZ, year: "numeric" });
}

// The year option for a date: only when it is not this year (on the phone's clock).
function year(date) {
  return yearOf(date) === yearOf(new Date()) ? {} : { year: "numeric" };
}

export function dayLabel(iso) {
  if (!iso) return "Zonder afspraak";
  const today = dayKey(new Date().toISOString());
  const tomorrow = dayKey(new Date(Date.now() + 86400000).toISOString());
  const key = dayKey(iso);
  if (key === today) return "Vandaag";
  if (key === tomorrow) return "Morgen";
  const date = new Date(iso);
  return date.toLocaleDateString("nl-NL", { timeZone: TZ, weekday: "long", day: "numeric", month: "long", ...year(date) });
}

export function time(iso) {
  return iso ? new Date(iso).toLocaleTimeString("nl-NL", { timeZone: TZ, hour: "2-digit", minute: "2-digit" }) : "";
}

export function dateTime(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  return date.toLocaleString("nl-NL", { timeZone: TZ, weekday: "short", day: "numeric", month: "short", ...year(date), hour: "2-digit", minute: "2-digit" });
}

// Amsterdam's offset from UTC at an instant, in minutes (60 in winter, 120 in summer).
function offsetMinutes(ms) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: TZ, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit",
  }).formatToParts(new Date(ms));
  const part = (type) => Number(parts.find((p) => p.type === type).value);
  const wall = Date.UTC(part("year"), part("month") - 1, part("day"), part("hour"), part("minute"), part("second"));
  return Math.round((wall - ms) / 60000);
}

// The instant of a wall-clock time in Amsterdam ("2026-03-02", "09:10"), whatever zone the
// phone is set to; twice round, so a time near a daylight-saving change comes out right.
export function fromLocal(day, clock) {
  const [y, m, d] = day.split("-").map(Number);
  const [hh, mm] = clock.split(":").map(Number);
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  const first = wall - offsetMinutes(wall) * 60000;
  return new Date(wall - offsetMinutes(first) * 60000);
}

// "morgen om 08:00", "op wo 9 dec om 08:00": when an appointment on a later day is.
export function laterDay(iso) {
  const tomorrow = dayKey(new Date(Date.now() + 86400000).toISOString());
  const date = new Date(iso);
  const day = dayKey(iso) === tomorrow
    ? "morgen"
    : `op ${date.toLocaleDateString("nl-NL", { timeZone: TZ, weekday: "short", day: "numeric", month: "short", ...year(date) })}`;
  return `${day} om ${time(iso)}`;
}
