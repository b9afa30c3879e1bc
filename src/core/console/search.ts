/** The fields the console's search box looks in. */
export interface Searchable {
  customerName: string | null;
  phone: string | null;
  email: string | null;
}

const digitsOf = (text: string) => text.replace(/\D/g, "");

/**
 * Whether a conversation matches the owner's search: every word of it in the name or the email
 * (case-insensitive), or, for a query of 3 or more digits, those digits in the phone however the
 * owner writes them ("(512) 555", "512-555", "+1512555...").
 */
export function matchesSearch(row: Searchable, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  const digits = digitsOf(q);
  if (digits.length >= 3 && /^[\d\s()+.-]+$/.test(q)) {
    const phone = digitsOf(row.phone ?? "");
    return phone.includes(digits);
  }
  const haystack = `${row.customerName ?? ""} ${row.email ?? ""}`.toLowerCase();
  return q.split(/\s+/).every((word) => haystack.includes(word));
}
