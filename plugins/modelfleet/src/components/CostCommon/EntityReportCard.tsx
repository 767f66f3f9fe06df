import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import { modelfleetCostReadPermission } from '@modelfleet/plugin-modelfleet-common';
import { ReactNode, useEffect, useRef, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  CostEntityKind,
  CostEntityRef,
  CostQuery,
  ModelFleetApi,
  modelfleetApiRef,
} from '../../api';
import { CostsNotYours, entityRefOf, ownerRefOf } from '../Access';
import { CardActions } from './CardActions';
import { CardBody } from './cardState';
import { WRAPPING_HEADER } from './layout';
import { AsyncBody, CostErrorPanel } from './CostStates';
import { costRefOf, subjectOf } from './entityRefs';
import { formatPeriod } from './format';
import { periodQuery, usePeriod } from './period';

interface EntityReportCardProps<T, K extends CostEntityKind> {
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
  /**
   * Reloads the report this often while the card is shown, keeping the
   * figures in place meanwhile (for reports that change within minutes,
   * such as a model's hibernation state).
   */
  refreshSeconds?: number;
  /**
   * Shown above the report in every state, whether or not the caller may
   * read its costs (e.g. links to where the entity runs).
   */
  intro?: ReactNode;
}

/**
 * The frame every entity cost card shares. It first asks whether the caller
 * may read the entity's costs (`modelfleet.cost.read` on the entity): while
 * the answer is pending it shows progress, when it is no it says whose costs
 * these are and reads nothing. Otherwise it loads a report of the page's
 * entity for the chosen period and shows it, with the period select, the
 * demo chip and the loading, empty and error states. The card stays one
 * element throughout, so it does not flicker from one state to the next.
 */
export function EntityReportCard<T, K extends CostEntityKind>(
  props: EntityReportCardProps<T, K>,
) {
  const { entity } = useEntity();
  const api = useApi(modelfleetApiRef);
  const [days, setDays] = usePeriod();
  const ref = costRefOf(entity, props.kind);
  const owner = ownerRefOf(entity);
  const permission = usePermission({
    permission: modelfleetCostReadPermission,
    resourceRef: entityRefOf(ref),
  });
  const { allowed } = permission;
  const [tick, setTick] = useState(0);
  const { refreshSeconds } = props;
  const loaded = useAsync(
    async () => (allowed ? props.load(api, ref, periodQuery(days)) : undefined),
    [api, ref.namespace, ref.name, days, allowed, tick],
  );
  // The next reload is timed from the end of the last one, so a reload slower
  // than the period is never superseded (and its figures never discarded) by
  // the next.
  const reloading = loaded.loading;
  useEffect(() => {
    if (!refreshSeconds || !allowed || reloading) return undefined;
    const timer = setTimeout(() => setTick(t => t + 1), refreshSeconds * 1000);
    return () => clearTimeout(timer);
  }, [refreshSeconds, allowed, reloading]);
  // A reload of the same report keeps the last figures on screen; another
  // entity or period shows progress until it is loaded.
  const key = `${ref.namespace}/${ref.name}/${days}/${allowed}`;
  const shown = useRef<{ key: string; value: T }>();
  if (!loaded.loading && loaded.value !== undefined) {
    shown.current = { key, value: loaded.value };
  }
  let value = loaded.value;
  if (loaded.loading) {
    value = shown.current?.key === key ? shown.current.value : undefined;
  }
  const loading = loaded.loading && value === undefined;
  const { error } = loaded;
  const period = allowed && value ? props.periodOf(value) : undefined;
  const subject = `the ${subjectOf(ref)}`;
  let body;
  if (allowed) {
    body = (
      <AsyncBody
        loading={loading}
        error={error}
        value={value}
        subject={subject}
        owner={owner}
      >
        {props.children}
      </AsyncBody>
    );
  } else if (permission.loading) {
    body = (
      <CardBody state="loading">
        <Progress />
      </CardBody>
    );
  } else if (permission.error) {
    body = (
      <CardBody state="error">
        <CostErrorPanel
          error={permission.error}
          subject={subject}
          owner={owner}
        />
      </CardBody>
    );
  } else {
    body = (
      <CardBody state="ready">
        <CostsNotYours owner={owner} />
      </CardBody>
    );
  }
  return (
    <InfoCard
      title={props.title}
      subheader={period ? formatPeriod(period.from, period.to) : undefined}
      headerStyle={WRAPPING_HEADER}
      action={
        allowed ? (
          <CardActions
            demo={value ? props.demoOf(value) : undefined}
            days={days}
            onDaysChange={setDays}
          />
        ) : undefined
      }
    >
      {props.intro}
      {body}
    </InfoCard>
  );
}
