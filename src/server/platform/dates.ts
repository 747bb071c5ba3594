// Calendar dates as the users live them: Europe/Copenhagen, as 'YYYY-MM-DD'.
const copenhagen = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Copenhagen', year: 'numeric', month: '2-digit', day: '2-digit' });

export function dateInCopenhagen(at: Date = new Date()): string {
  return copenhagen.format(at);
}

export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
