// Dutch dates and times in Amsterdam time.
const TZ = "Europe/Amsterdam";

export function dayKey(iso) {
  return iso ? new Date(iso).toLocaleDateString("sv-SE", { timeZone: TZ }) : "";
}

export function dayLabel(iso) {
  if (!iso) return "Zonder afspraak";
  const today = dayKey(new Date().toISOString());
  const tomorrow = dayKey(new Date(Date.now() + 86400000).toISOString());
  const key = dayKey(iso);
  if (key === today) return "Vandaag";
  if (key === tomorrow) return "Morgen";
  return new Date(iso).toLocaleDateString("nl-NL", { timeZone: TZ, weekday: "long", day: "numeric", month: "long" });
}

export function time(iso) {
  return iso ? new Date(iso).toLocaleTimeString("nl-NL", { timeZone: TZ, hour: "2-digit", minute: "2-digit" }) : "";
}

export function dateTime(iso) {
  return iso ? new Date(iso).toLocaleString("nl-NL", { timeZone: TZ, weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }) : "";
}
