import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { ReactNode } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  CostEntityKind,
  CostEntityRef,
  CostQuery,
  ModelFleetApi,
  modelfleetApiRef,
} from '../../api';
import { CardActions } from './CardActions';
import { AsyncBody } from './CostStates';
import { costRefOf, subjectOf } from './entityRefs';
import { formatPeriod } from './format';
import { periodQuery, usePeriod } from './period';

/**
 * The frame every entity cost card shares: it loads a report of the page's
 * entity for the chosen period and shows it, with the period select, the
 * demo chip and the loading, empty and error states.
 */
export function EntityReportCard<T, K extends CostEntityKind>(props: {
  title: string;
  kind: K;
  load: (
    api: ModelFleetApi,
    ref: CostEntityRef<K>,
    query: CostQuery | undefined,
  ) => Promise<T>;
  /** The period the loaded report covers. */
  periodOf: (value: T) => { from: string; to: string };
  demoOf: (value: T) => boolean;
  children: (value: T) => ReactNode;
}) {
  const { entity } = useEntity();
  const api = useApi(modelfleetApiRef);
  const [days, setDays] = usePeriod();
  const ref = costRefOf(entity, props.kind);
  const { value, loading, error } = useAsync(
    () => props.load(api, ref, periodQuery(days)),
    [api, ref.namespace, ref.name, days],
  );
  const period = value ? props.periodOf(value) : undefined;
  return (
    <InfoCard
      title={props.title}
      subheader={period ? formatPeriod(period.from, period.to) : undefined}
      action={
        <CardActions
          demo={value ? props.demoOf(value) : undefined}
          days={days}
          onDaysChange={setDays}
        />
      }
    >
      <AsyncBody
        loading={loading}
        error={error}
        value={value}
        subject={`the ${subjectOf(ref)}`}
      >
        {props.children}
      </AsyncBody>
    </InfoCard>
  );
}
