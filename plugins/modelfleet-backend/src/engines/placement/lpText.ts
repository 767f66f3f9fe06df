/**
 * A minimisation program in the CPLEX LP text format HiGHS reads: the
 * objective's terms, the constraint rows, the bounds and the integer
 * columns, each already written. An empty objective or row set gets a
 * placeholder column `z`, fixed at 0, so that the text stays valid.
 */
export function lpText(p: {
  obj: string[];
  rows: string[];
  bounds: string[];
  ints: string[];
}): string {
  return [
    'Minimize',
    ` obj: ${p.obj.length ? p.obj.join(' + ') : '0 z'}`,
    'Subject To',
    ...(p.rows.length ? p.rows : [' r0: z >= 0']),
    'Bounds',
    ...p.bounds,
    ...(p.obj.length ? [] : [' z = 0']),
    ...(p.ints.length ? ['General', ` ${p.ints.join(' ')}`] : []),
    'End',
  ].join('\n');
}
