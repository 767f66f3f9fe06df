/** A secondary line of small text under a figure of the GpuPoolPicker. */
import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';

export const Caption = ({ children }: { children: ReactNode }) => (
  <Typography variant="caption" color="textSecondary" display="block">
    {children}
  </Typography>
);
