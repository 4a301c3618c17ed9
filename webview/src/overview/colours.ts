/** Status colours for canvas drawing, read from the same CSS (theme variables) the nodes use. */
const cache = new Map<string, string>();
let probe: HTMLElement | null = null;

export function statusColour(status: string): string {
  let c = cache.get(status);
  if (c) return c;
  if (!probe) {
    probe = document.createElement('span');
    probe.style.display = 'none';
    document.body.appendChild(probe);
  }
  probe.className = `status-${status}`;
  c = getComputedStyle(probe).getPropertyValue('--status').trim() || '#888';
  cache.set(status, c);
  return c;
}

export function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

/** The theme changed (VS Code swaps body classes): read the colours again. */
export function forgetColours(): void {
  cache.clear();
}
