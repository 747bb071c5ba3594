// A table wrapper that scrolls sideways on a narrow screen instead of squeezing columns; focusable so keyboards can scroll it.
import type { ReactNode } from 'react';

export function TableScroll({ labelledBy, children }: { labelledBy: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-labelledby={labelledBy} tabIndex={0}>
      {children}
    </div>
  );
}
