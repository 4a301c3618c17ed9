/**
 * Node positions and edge routes: elkjs (layered, tuned: thoroughness 1, polyline routing) in a
 * Blob-URL worker where the webview allows it, on the main thread otherwise; the core's fast
 * layered layout (positions only, no routes) for very large graphs or when elkjs fails. Cached by
 * structure key, so editing a command never moves the picture.
 */
import ELK from 'elkjs/lib/elk-api.js';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import { layeredLayout, type Positions } from '../../../core/graph/layered';
import type { GraphModel } from '../../../core/protocol/webview';

export const NODE_SIZE = {
  task: { width: 220, height: 70 },
  source: { width: 190, height: 44 },
} as const;
/** Above this many nodes elkjs takes seconds (and overflows its stack near 10,000). */
export const ELK_LIMIT = 1500;
const ELK_TIMEOUT_MS = 6000;

/** An edge's route by edge id: start, bends and end, in the coordinates of the positions. */
export type Routes = Record<string, { x: number; y: number }[]>;

const cache = new Map<string, { positions: Positions; routes: Routes }>();
/** The routes laid out with a positions object (none for the fast layout): found by identity. */
const routesByPositions = new WeakMap<Positions, Routes>();
/** The routes elkjs drew with these positions, if it drew them. */
export function routesOf(positions: Positions): Routes | undefined {
  return routesByPositions.get(positions);
}
interface ElkLike {
  layout(g: ElkNode): Promise<ElkNode>;
}
let elk: ElkLike | undefined;
export let layoutEngine = 'none';

async function workerElk(): Promise<ElkLike | undefined> {
  const base = document.getElementById('root')?.dataset.assets;
  if (!base || typeof Worker === 'undefined') return undefined;
  try {
    const source = await (await fetch(`${base}/elk-worker.min.js`)).text();
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    const instance = new ELK({ workerFactory: () => new Worker(url) });
    layoutEngine = 'elk-worker';
    return instance;
  } catch {
    return undefined;
  }
}

async function mainThreadElk(): Promise<ElkLike> {
  const { default: Bundled } = await import('elkjs/lib/elk.bundled.js');
  layoutEngine = 'elk-main';
  return new Bundled();
}

function elkGraph(g: GraphModel, direction: 'RIGHT' | 'DOWN'): ElkNode {
  return {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': direction,
      'elk.layered.thoroughness': '1',
      'elk.edgeRouting': 'POLYLINE',
      'elk.spacing.nodeNode': '28',
      'elk.layered.spacing.nodeNodeBetweenLayers': '70',
    },
    children: g.nodes.map((n) => ({ id: n.id, ...NODE_SIZE[n.kind] })),
    edges: g.edges
      .filter((e) => e.source !== e.target)
      .map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  };
}

function fast(g: GraphModel, direction: 'RIGHT' | 'DOWN'): Positions {
  layoutEngine = 'fast-layered';
  return layeredLayout({
    nodes: g.nodes.map((n) => ({ id: n.id, ...NODE_SIZE[n.kind] })),
    edges: g.edges,
    direction,
  });
}

/** Each edge's one section as a point list (elkjs gives one section to an edge between two nodes). */
function routesFrom(edges: ElkExtendedEdge[] | undefined): Routes {
  const routes: Routes = {};
  for (const e of edges ?? []) {
    const s = e.sections?.[0];
    if (!s || e.sections!.length !== 1) continue;
    routes[e.id] = [s.startPoint, ...(s.bendPoints ?? []), s.endPoint].map((p) => ({
      x: p.x,
      y: p.y,
    }));
  }
  return routes;
}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error('layout timed out')), ms)),
  );
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A layout to paint at once: the cached one, or the fast layered one while elkjs works. */
export function immediateLayout(
  g: GraphModel,
  direction: 'RIGHT' | 'DOWN',
): { positions: Positions; final: boolean } {
  const hit = cache.get(`${g.structureKey}:${direction}`)?.positions;
  if (hit && g.nodes.every((n) => hit[n.id])) return { positions: hit, final: true };
  return { positions: fast(g, direction), final: g.nodes.length > ELK_LIMIT };
}

export async function layout(g: GraphModel, direction: 'RIGHT' | 'DOWN'): Promise<Positions> {
  const key = `${g.structureKey}:${direction}`;
  const hit = cache.get(key)?.positions;
  if (hit && g.nodes.every((n) => hit[n.id])) return hit;
  let positions: Positions;
  let routes: Routes = {};
  if (g.nodes.length > ELK_LIMIT) positions = fast(g, direction);
  else {
    try {
      elk ??= (await workerElk()) ?? (await mainThreadElk());
      const result: ElkNode = await withTimeout(
        elk!.layout(elkGraph(g, direction)),
        ELK_TIMEOUT_MS,
      );
      positions = Object.fromEntries(
        (result.children ?? []).map((c) => [c.id, { x: c.x ?? 0, y: c.y ?? 0 }]),
      );
      routes = routesFrom(result.edges);
    } catch {
      positions = fast(g, direction);
    }
  }
  cache.set(key, { positions, routes });
  routesByPositions.set(positions, routes);
  return positions;
}
