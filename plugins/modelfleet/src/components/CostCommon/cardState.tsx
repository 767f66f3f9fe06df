import { ReactNode } from 'react';

/**
 * What a card shows: progress, its content (figures, or a note such as
 * "these costs are not yours"), or an error.
 */
export type CardState = 'loading' | 'ready' | 'error';

/** The attribute {@link CardBody} marks a card's body with. */
export const CARD_STATE_ATTRIBUTE = 'data-modelfleet-state';

/** The state of a card that reads one value. */
export function cardStateOf(read: {
  loading?: boolean;
  error?: unknown;
  value?: unknown;
}): CardState {
  if (read.error) return 'error';
  if (read.loading || read.value === undefined) return 'loading';
  return 'ready';
}

/**
 * The body of a card, marked with what it shows
 * (`data-modelfleet-state="loading" | "ready" | "error"`), so that the
 * end-to-end tests and `yarn bench:pages` can tell a card that shows its
 * content from one still loading. A card is rendered when its bodies are
 * all `ready`.
 */
export const CardBody = (props: { state: CardState; children: ReactNode }) => (
  <div {...{ [CARD_STATE_ATTRIBUTE]: props.state }}>{props.children}</div>
);
