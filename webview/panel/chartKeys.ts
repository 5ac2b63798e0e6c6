// Zoom by keyboard on a focused chart (the loss chart): + or = zooms in to half the shown
// steps, - zooms out to twice, the arrow keys pan by a quarter (Shift: a whole width), Home
// and End go to the first and last steps at the same width, Escape or 0 shows every step.
// The same zoom as a drag, so it is saved and survives live deltas the same way.
import { panBy, type Range, zoomBy } from './zoom';

export const ZOOM_KEYS = '+ - ArrowLeft ArrowRight Home End Escape';

export interface ZoomView {
  /** The steps shown now. */
  shown: Range;
  /** Every step of the data. */
  full: Range;
}

/** The zoom a key asks for: a range, null for every step, undefined for a key that is not ours. */
export function zoomForKey(e: Pick<KeyboardEvent, 'key' | 'shiftKey'>, v: ZoomView): Range | null | undefined {
  const width = v.shown[1] - v.shown[0];
  switch (e.key) {
    case '+':
    case '=':
      return zoomBy(v.shown, v.full, 0.5);
    case '-':
    case '_':
      return zoomBy(v.shown, v.full, 2);
    case 'ArrowLeft':
      return panBy(v.shown, v.full, e.shiftKey ? -1 : -0.25);
    case 'ArrowRight':
      return panBy(v.shown, v.full, e.shiftKey ? 1 : 0.25);
    case 'Home':
      return panBy([v.full[0], v.full[0] + width], v.full, 0);
    case 'End':
      return panBy([v.full[1] - width, v.full[1]], v.full, 0);
    case 'Escape':
    case '0':
      return null;
    default:
      return undefined;
  }
}
