import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Fragment, ReactNode } from 'react';

/**
 * An entity ref inside a sentence, e.g. `model:default/search-reranker` or
 * `gpupool:default/demo-azure-eastus.nca100` (a name never ends with a
 * dot, so a sentence's full stop is not taken for part of it).
 */
const REF =
  /\b(?:model|gpupool|group|component|resource):[A-Za-z0-9][\w.-]*\/[\w.-]*[\w-]/gi;

/**
 * The parts of a text: plain strings and the entity refs in it, in order,
 * e.g. `Move model:default/a to X` → `['Move ', {ref: 'model:default/a'}, ' to X']`.
 */
export function splitRefs(text: string): Array<string | { ref: string }> {
  const parts: Array<string | { ref: string }> = [];
  let last = 0;
  for (const match of text.matchAll(REF)) {
    const at = match.index ?? 0;
    if (at > last) parts.push(text.slice(last, at));
    parts.push({ ref: match[0] });
    last = at + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/**
 * A sentence from the backend with each entity ref in it shown as the
 * entity's name, linked to its page, as people read it
 * (`model:default/search-reranker` → search-reranker).
 */
export const RefText = (props: { text: string }): JSX.Element => {
  const parts = splitRefs(props.text);
  const nodes: ReactNode[] = parts.map((part, i) =>
    typeof part === 'string' ? (
      <Fragment key={i}>{part}</Fragment>
    ) : (
      <EntityRefLink key={i} entityRef={part.ref} />
    ),
  );
  return <>{nodes}</>;
};
