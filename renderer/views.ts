// The live canvases, reachable from the console, the end-to-end tests and
// the render benchmark.
import type { GraphCanvas } from './graph/graphCanvas';
import type { TimelineCanvas } from './timeline/timelineCanvas';

export interface Views {
  graph?: GraphCanvas;
  timeline?: TimelineCanvas;
}

export const views: Views = {};

export function registerView<K extends keyof Views>(name: K, view: NonNullable<Views[K]>): void {
  views[name] = view;
}
