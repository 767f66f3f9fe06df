import { CSSProperties, ReactNode } from 'react';

/**
 * The header style of a card with an action (the period select, a demo
 * chip): the action moves under the title when both do not fit on one line,
 * so a narrow screen (a phone, 390 px wide) still shows it whole.
 */
export const WRAPPING_HEADER: CSSProperties = {
  flexWrap: 'wrap',
  rowGap: 8,
};

/**
 * A table's frame inside a card: a table wider than the card scrolls
 * sideways within it instead of widening the page. It is positioned, so
 * what a table places absolutely (a label for screen readers) scrolls and
 * is clipped with it too.
 */
export const ScrollX = (props: { children: ReactNode }) => (
  <div
    style={{ overflowX: 'auto', maxWidth: '100%', position: 'relative' }}
    data-testid="modelfleet-scroll-x"
  >
    {props.children}
  </div>
);
