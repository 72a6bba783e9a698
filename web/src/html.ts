// Escaping for the few places that build HTML strings: ECharts tooltip formatters
// given as functions return HTML, so every user text in them (names, notes) goes
// through escapeHtml (issue 17, point 10). React-rendered text needs none.
const map: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => map[c]);
}
