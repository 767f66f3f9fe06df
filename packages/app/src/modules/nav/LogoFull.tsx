import { makeStyles } from '@material-ui/core';
import { LogoIcon } from './LogoIcon';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    alignItems: 'center',
    gap: 10,
  },
  name: {
    color: '#ffffff',
    fontSize: 22,
    fontWeight: 700,
    letterSpacing: '-0.02em',
    whiteSpace: 'nowrap',
  },
});

/** ModelFleet's mark and name, for the open sidebar. */
export const LogoFull = () => {
  const classes = useStyles();
  return (
    <span className={classes.root}>
      <LogoIcon size={30} />
      <span className={classes.name}>ModelFleet</span>
    </span>
  );
};
