import { MoveDetails } from '@modelfleet/plugin-modelfleet-common';

/** A move from an on-demand pool to a spot pool of another cluster, as the backend stores its figures. */
export const moveDetails: MoveDetails = {
  from: {
    pool: 'gpupool:default/prod-use1.l4-ondemand',
    title: 'l4-ondemand (prod-use1)',
    cluster: 'prod-use1',
    monthlyUsd: 1175.3,
  },
  to: {
    pool: 'gpupool:default/prod-usc1.g2-l4-spot',
    title: 'g2-l4-spot (prod-usc1)',
    cluster: 'prod-usc1',
    capacityType: 'spot',
    monthlyUsd: 421.68,
    preemptionsPerMonth: 2.5,
    availability: 0.995,
  },
  moveUsd: 3.61,
  paybackHours: 3.5,
  risk: 'spot: 2.5 preemptions a month expected, 99.50 % available',
};
