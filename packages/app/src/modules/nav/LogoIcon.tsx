/** The colour of ModelFleet's mark on the dark sidebar. */
export const MARK_COLOUR = '#7df3e1';

/**
 * ModelFleet's mark: a GPU (a chip with its pins) holding a rising bar
 * chart, for AI models on GPUs and what they cost.
 */
export const LogoIcon = (props: { size?: number }) => {
  const size = props.size ?? 28;
  const pins = [11, 16, 21];
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 32 32"
      xmlns="http://www.w3.org/2000/svg"
      aria-hidden="true"
      focusable="false"
    >
      <g stroke={MARK_COLOUR} strokeWidth={2} strokeLinecap="round">
        {pins.map(p => (
          <g key={p}>
            <line x1={p} y1={2} x2={p} y2={5} />
            <line x1={p} y1={27} x2={p} y2={30} />
            <line x1={2} y1={p} x2={5} y2={p} />
            <line x1={27} y1={p} x2={30} y2={p} />
          </g>
        ))}
      </g>
      <rect
        x={6}
        y={6}
        width={20}
        height={20}
        rx={4}
        fill="none"
        stroke={MARK_COLOUR}
        strokeWidth={2}
      />
      <g fill={MARK_COLOUR}>
        <rect x={10} y={16} width={3} height={6} rx={1} />
        <rect x={14.5} y={13} width={3} height={9} rx={1} />
        <rect x={19} y={10} width={3} height={12} rx={1} />
      </g>
    </svg>
  );
};
