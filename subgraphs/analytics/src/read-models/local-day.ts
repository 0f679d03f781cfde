/** Calendar dates (YYYY-MM-DD) of instants in one time zone, from the IANA database (DST included). */
const formats = new Map<string, Intl.DateTimeFormat>();

/** The store-local calendar date of an instant, as YYYY-MM-DD. */
export function localDay(instant: Date, timeZone: string): string {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formats.set(timeZone, format);
  }
  return format.format(instant);
}
