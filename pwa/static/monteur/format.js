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
