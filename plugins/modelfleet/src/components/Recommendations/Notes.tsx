import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { RefText } from './RefText';

/**
 * What could not be gathered (a model without metrics, a kind not gathered
 * yet): notes for platform engineers, behind a closed Details toggle.
 */
export const NotesDetails = (props: { notes: string[] }) => {
  const [open, setOpen] = useState(false);
  if (props.notes.length === 0) return null;
  return (
    <Box mt={1}>
      <Button
        size="small"
        aria-expanded={open}
        aria-controls="modelfleet-recommendation-notes"
        onClick={() => setOpen(!open)}
        style={{ padding: 0, minWidth: 0, textTransform: 'none' }}
        color="primary"
      >
        {open ? 'Hide the details' : `Details (${props.notes.length})`}
      </Button>
      {open && (
        <Box
          id="modelfleet-recommendation-notes"
          data-testid="modelfleet-recommendation-notes"
        >
          <Typography variant="caption" color="textSecondary" component="p">
            What could not be gathered:
          </Typography>
          <ul style={{ margin: 0, paddingLeft: 20 }}>
            {props.notes.map(note => (
              <li key={note}>
                <Typography variant="caption" color="textSecondary">
                  <RefText text={note} />
                </Typography>
              </li>
            ))}
          </ul>
        </Box>
      )}
    </Box>
  );
};
