/** Pure: an elkjs edge route, joined to React Flow's handles, as an SVG path with rounded corners and a label point. */

export interface Point {
  x: number;
  y: number;
}

/** What toFlow gives a routed edge: the route, and where the layout put its two tasks. */
export interface EdgeRoute {
  points: Point[];
  from: Point;
  to: Point;
}

/** How far into the gap the line leaves a task straight from its handle (below a partition strip, 14 px). */
const OUT = 20;
const RADIUS = 10;

const dist = (a: Point, b: Point): number => Math.hypot(b.x - a.x, b.y - a.y);
/** The point `d` from `a` toward `b`. */
function toward(a: Point, b: Point, d: number): Point {
  const l = dist(a, b);
  return l === 0 ? a : { x: a.x + ((b.x - a.x) * d) / l, y: a.y + ((b.y - a.y) * d) / l };
}
/** The point `d` out of a task's side. */
function outOf(p: Point, side: Side, d: number): Point {
  switch (side) {
    case 'top':
      return { x: p.x, y: p.y - d };
    case 'bottom':
      return { x: p.x, y: p.y + d };
    case 'left':
      return { x: p.x - d, y: p.y };
    case 'right':
      return { x: p.x + d, y: p.y };
  }
}
export type Side = 'top' | 'bottom' | 'left' | 'right';

/**
 * The route's own ends lie on the tasks' borders where elkjs spread them; the drawn line starts and
 * ends at the handles (as the default edges do): straight out of the handle into the gap, then
 * along the route.
 */
export function routeThrough(
  source: Point,
  sourceSide: Side,
  route: Point[],
  target: Point,
  targetSide: Side,
): Point[] {
  if (route.length < 2) return [source, target];
  const n = route.length;
  const first = dist(route[0]!, route[1]!);
  const last = dist(route[n - 1]!, route[n - 2]!);
  const all = [
    source,
    outOf(source, sourceSide, Math.min(OUT, first / 2)),
    toward(route[0]!, route[1]!, Math.min(OUT, first / 2)),
    ...route.slice(1, -1),
    toward(route[n - 1]!, route[n - 2]!, Math.min(OUT, last / 2)),
    outOf(target, targetSide, Math.min(OUT, last / 2)),
    target,
  ];
  return all.filter((p, i) => i === 0 || dist(p, all[i - 1]!) > 0.5);
}

/** SVG path through the points, corners rounded; the label at half the length. */
export function routedPath(points: Point[]): [path: string, labelX: number, labelY: number] {
  const f = (p: Point): string => `${Math.round(p.x * 10) / 10},${Math.round(p.y * 10) / 10}`;
  let d = `M${f(points[0]!)}`;
  for (let i = 1; i < points.length - 1; i++) {
    const [prev, cur, next] = [points[i - 1]!, points[i]!, points[i + 1]!];
    const r = Math.min(RADIUS, dist(prev, cur) / 2, dist(cur, next) / 2);
    d += ` L${f(toward(cur, prev, r))} Q${f(cur)} ${f(toward(cur, next, r))}`;
  }
  d += ` L${f(points[points.length - 1]!)}`;
  const label = along(points, 0.5);
  return [d, label.x, label.y];
}

/** The point at `share` of the polyline's length. */
function along(points: Point[], share: number): Point {
  let total = 0;
  for (let i = 1; i < points.length; i++) total += dist(points[i - 1]!, points[i]!);
  let left = total * share;
  for (let i = 1; i < points.length; i++) {
    const l = dist(points[i - 1]!, points[i]!);
    if (left <= l) return toward(points[i - 1]!, points[i]!, left);
    left -= l;
  }
  return points[points.length - 1]!;
}
