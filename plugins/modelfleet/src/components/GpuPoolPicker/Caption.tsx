/** A secondary line of small text under a figure of the GpuPoolPicker. */
import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';

export const Caption = ({ children }: { children: ReactNode }) => (
  <Typography variant="caption" color="textSecondary" display="block">
    {children}
  </Typography>
);

/** A figure (an amount, a price, a size) that never breaks across lines. */
export const Figure = ({ children }: { children: ReactNode }) => (
  <span style={{ whiteSpace: 'nowrap' }}>{children}</span>
);
