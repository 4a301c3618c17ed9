/** An edge drawn along the route elkjs laid out (around the tasks in between), or as today's bezier once a task of it was dragged. */
import { BaseEdge, type EdgeProps, getBezierPath, useStore } from '@xyflow/react';
import { memo } from 'react';
import { type EdgeRoute, routedPath, routeThrough } from './route';

export const RoutedEdge = memo(function RoutedEdge(p: EdgeProps) {
  const route = (p.data as { route?: EdgeRoute } | undefined)?.route;
  // A task dragged away from where the layout put it: the route would be stale.
  const moved = useStore((s) => {
    const a = s.nodeLookup.get(p.source)?.position;
    const b = s.nodeLookup.get(p.target)?.position;
    return (
      !route ||
      !a ||
      !b ||
      a.x !== route.from.x ||
      a.y !== route.from.y ||
      b.x !== route.to.x ||
      b.y !== route.to.y
    );
  });
  const [path, labelX, labelY] =
    moved || !route
      ? getBezierPath(p)
      : routedPath(
          routeThrough(
            { x: p.sourceX, y: p.sourceY },
            p.sourcePosition,
            route.points,
            { x: p.targetX, y: p.targetY },
            p.targetPosition,
          ),
        );
  return (
    <BaseEdge
      path={path}
      labelX={labelX}
      labelY={labelY}
      label={p.label}
      labelStyle={p.labelStyle}
      labelShowBg={p.labelShowBg}
      labelBgStyle={p.labelBgStyle}
      labelBgPadding={p.labelBgPadding}
      labelBgBorderRadius={p.labelBgBorderRadius}
      style={p.style}
      markerEnd={p.markerEnd}
      markerStart={p.markerStart}
      interactionWidth={p.interactionWidth}
    />
  );
});

/** The edge types of the canvas: `routed` where elkjs gave a route; the rest stay React Flow's default. */
export const edgeTypes = { routed: RoutedEdge };
